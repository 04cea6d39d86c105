"""The reader's digest: its settings page (/account/digest), the private Atom feed behind a
secret link (/digest/TOKEN.atom) and the unsubscribe page an e-mail links to.

The feed and the unsubscribe page need no login: the token in their address is the secret, so
they are never shareable (the router is included as not shareable: private, no-store), carry
X-Robots-Tag: noindex, and the unsubscribe POST needs no CSRF token (auth.CSRF_EXEMPT): a mail
client's RFC 8058 one-click POST has none, and a forged one would need the token.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.digests import content, tokens
from newsdesk.digests.mail import mail_problem
from newsdesk.store.personal_tables import DIGEST_FREQUENCIES
from newsdesk.web import atom
from newsdesk.web.auth import UserDep
from newsdesk.web.deps import AppDep, templates

PAGE = "/account/digest"
UNSUBSCRIBE = "/digest/unsubscribe"
NOINDEX = {"X-Robots-Tag": "noindex"}
CHOICES = (("off", "No e-mails"), ("daily", "Daily"), ("weekly", "Weekly"))
MAX_EMAIL = 254
# One address, no display name: what a reader types. The e-mail package checks it again.
_EMAIL = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$")
GONE = (
    "This unsubscribe link is not valid any more: each digest e-mail carries a new one. Use the "
    "link in your latest digest, or log in and turn e-mails off in your digest settings."
)

router = APIRouter()


def email_problem(address: str) -> str | None:
    """Why address cannot receive digests, or None."""
    if len(address) > MAX_EMAIL or not _EMAIL.match(address):
        return "That is not an e-mail address (name@example.org)."
    return None


def _settings_page(
    request: Request, app: App, user_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    with app.store.transaction(readonly=True) as repo:
        digest = repo.digest_settings(user_id)
        follows = repo.follows_of(user_id, muted=False)
    context = {
        "choices": CHOICES,
        "frequency": digest.frequency,
        "email": digest.email or "",
        "has_feed": digest.feed_token_hash is not None,
        "last_sent": digest.last_sent_at,
        "follows": len(follows),
        "mail_off": mail_problem(app.settings) is not None,
        "saved": False,
        "error": None,
        "new_feed_url": None,
    }
    context.update(extra)
    page: HTMLResponse = templates.TemplateResponse(
        request, "digest.html", context, status_code=status
    )
    return page


@router.get(PAGE, response_class=HTMLResponse)
def settings_page(request: Request, app: AppDep, user: UserDep, saved: bool = False) -> Response:
    return _settings_page(request, app, user.id, saved=saved)


@router.post(PAGE, response_model=None)
def save_settings(
    request: Request,
    app: AppDep,
    user: UserDep,
    frequency: Annotated[str, Form(max_length=16)] = "off",
    email: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    email = email.strip()
    error = None
    if frequency not in DIGEST_FREQUENCIES:
        error = "Choose no e-mails, daily or weekly."
    elif email:
        error = email_problem(email)
    elif frequency != "off":
        error = "Give the address the digest goes to, or choose no e-mails."
    if error is not None:  # the form again, as the reader filled it in
        shown = frequency if frequency in DIGEST_FREQUENCIES else "off"
        return _settings_page(request, app, user.id, 422, error=error, frequency=shown, email=email)
    with app.store.transaction() as repo:
        repo.set_digest(user.id, frequency=frequency, email=email or None)
    return RedirectResponse(f"{PAGE}?saved=1", status_code=303)


@router.post(f"{PAGE}/feed", response_model=None)
def new_feed(request: Request, app: AppDep, user: UserDep) -> Response:
    """A new private feed address, shown on this answer only (the store keeps its hash)."""
    with app.store.transaction() as repo:
        token = tokens.new_feed_link(repo, user.id)
    base = app.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return _settings_page(request, app, user.id, new_feed_url=f"{base}/digest/{token}.atom")


@router.get("/digest/{token}.atom", summary="A reader's digest as a private Atom feed")
def digest_feed(token: str, request: Request, app: AppDep) -> Response:
    now = utcnow()
    with app.store.transaction(readonly=True) as repo:
        owner = tokens.feed_owner(repo, token)
        if owner is None:
            raise HTTPException(404, "There is no digest feed at this address.", NOINDEX)
        name = repo.reader_names([owner.user_id]).get(owner.user_id, "")
        rows = content.feed_stories(repo, owner.user_id, content.feed_since(owner, now), now)
        entries = atom.story_entries(repo, rows)
    span = "weekly" if owner.frequency == "weekly" else "daily"
    feed_id = f"urn:newsdesk:digest:{owner.user_id}"
    title = f"newsdesk: {name}'s {span} digest"
    answer = atom.render(request, feed_id, title, "/for-you", entries)
    answer.headers.update(NOINDEX)
    return answer


def _unsubscribe_page(request: Request, done: bool, **context: Any) -> HTMLResponse:
    page: HTMLResponse = templates.TemplateResponse(
        request, "digest_unsubscribe.html", {"done": done, **context}, headers=NOINDEX
    )
    return page


@router.get(UNSUBSCRIBE + "/{token}", response_class=HTMLResponse)
def unsubscribe_form(token: str, request: Request, app: AppDep) -> Response:
    """Asks first: mail scanners open links, and a GET must change nothing."""
    with app.store.transaction(readonly=True) as repo:
        owner = tokens.unsubscribe_owner(repo, token)
    if owner is None:
        raise HTTPException(404, GONE, NOINDEX)
    return _unsubscribe_page(
        request, owner.frequency == "off", email=owner.email, frequency=owner.frequency
    )


@router.post(UNSUBSCRIBE + "/{token}", response_class=HTMLResponse)
def unsubscribe(token: str, request: Request, app: AppDep) -> Response:
    """Turns e-mails off: the page's button, or a mail client's one-click POST (RFC 8058)."""
    with app.store.transaction() as repo:
        owner = tokens.unsubscribe_owner(repo, token)
        if owner is not None:
            repo.set_digest(owner.user_id, frequency="off")
    if owner is None:
        raise HTTPException(404, GONE, NOINDEX)
    return _unsubscribe_page(request, True, email=owner.email, frequency="off")
