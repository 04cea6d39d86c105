"""Subscribing from an app: following a source newsdesk already gathers, never fetching.

An app subscribes with a feed URL (`feed/https://...`) or a publisher's name. A URL newsdesk
polls becomes a follow of the publisher its articles name; a URL it does not poll is refused
with the reason, whoever asks: the API never fetches an address it is given (that is the
admins' sources page, behind the SSRF guard), so an app cannot make the server reach anywhere.
"""

from __future__ import annotations

from datetime import datetime

from newsdesk.errors import NotFoundError
from newsdesk.store import Repo
from newsdesk.store.follows import Follow
from newsdesk.store.users import User

MAX_WANTED = 2000
NOT_GATHERED = (
    "newsdesk does not gather {url}. It follows only sources it already polls; an admin adds "
    "new ones at /admin/sources."
)
NOTHING_YET = "newsdesk has no article from {url} yet: subscribe again after its next poll."
NO_SOURCE = "No source is named {name!r}: subscribe with its feed URL or its name on /source/."


def subscribe(repo: Repo, user: User, wanted: str, title: str, now: datetime) -> Follow | str:
    """The follow of kind source that wanted names, made (or found); else why not."""
    wanted = wanted.strip()[:MAX_WANTED]
    if wanted.startswith("feed/"):
        wanted = wanted[len("feed/") :]
    if wanted.startswith(("http://", "https://")):
        try:
            repo.get_source(wanted)
        except NotFoundError:
            return NOT_GATHERED.format(url=wanted)
        publisher = repo.publisher_of_feed(wanted)
        if publisher is None:
            return NOTHING_YET.format(url=wanted)
    elif wanted and repo.is_publisher(wanted):
        publisher = wanted
    else:
        return NO_SOURCE.format(name=wanted)
    label = " ".join(title.split())[:200] or publisher
    existing = repo.follow_of(user.id, "source", publisher)
    if existing is not None and not existing.muted:
        return existing
    return repo.follow(user.id, "source", publisher, label, now)
