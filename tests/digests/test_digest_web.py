"""The digest on the web, through the whole app: the settings page (login, CSRF, validation),
the private Atom feed (shown once, rotated, parsed with feedparser, never shared), and the
unsubscribe link of a real e-mail (its page, the one-click POST without a CSRF token)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password
from newsdesk.dates import utcnow
from newsdesk.digests import send
from newsdesk.store import Store
from newsdesk.web.app import create_app

from .conftest import SmtpServer, add_story, mail_settings

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FEED = re.compile(r'<code id="feed-url">([^<]+)</code>')


@pytest.fixture
def site(tmp_path: Path, smtp: SmtpServer) -> Iterator[tuple[TestClient, Store]]:
    settings = mail_settings(tmp_path / "web.db", smtp.port, page_cache_seconds=30.0)
    with Store.open(settings.db_url) as store:
        with store.transaction() as repo:
            repo.create_user("ada", hash_password(PASSWORD), "member", utcnow())
        with TestClient(create_app(settings), follow_redirects=False) as client:
            yield client, store


def _csrf(client: TestClient, path: str) -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, path
    return found.group(1)


def _log_in(client: TestClient) -> None:
    form = {"name": "ada", "password": PASSWORD, "csrf_token": _csrf(client, "/login")}
    assert client.post("/login", data=form).status_code == 303


def test_settings_page_needs_a_login_and_a_csrf_token_and_checks_the_address(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    assert client.get("/account/digest").headers["location"] == "/login?next=/account/digest"
    _log_in(client)
    page = client.get("/account/digest")
    assert page.status_code == 200 and "Your digest" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    assert "You follow nothing yet" in page.text

    form = {"frequency": "weekly", "email": "ada@example.org"}
    assert client.post("/account/digest", data=form).status_code == 403  # no CSRF token
    token = _csrf(client, "/account/digest")
    for bad, why in (
        ({"frequency": "hourly", "email": "ada@example.org"}, "Choose no e-mails"),
        ({"frequency": "daily", "email": "not an address"}, "not an e-mail address"),
        ({"frequency": "daily", "email": "a@b.org\r\nBcc: x@y.org"}, "not an e-mail address"),
        ({"frequency": "daily", "email": ""}, "Give the address"),
    ):
        answer = client.post("/account/digest", data={**bad, "csrf_token": token})
        assert answer.status_code == 422 and why in answer.text, bad
        assert f'value="{bad["frequency"]}" checked' in answer.text or bad["frequency"] == "hourly"
    saved = client.post("/account/digest", data={**form, "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"] == "/account/digest?saved=1"
    page = client.get("/account/digest?saved=1")
    assert "Saved." in page.text and 'value="ada@example.org"' in page.text
    assert re.search(r'value="weekly" checked', page.text)
    with store.transaction(readonly=True) as repo:
        user = repo.user_by_name("ada")
        assert user is not None
        digest = repo.digest_settings(user.id)
    assert (digest.frequency, digest.email) == ("weekly", "ada@example.org")


def test_private_feed_is_shown_once_rotates_and_is_valid_atom(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    story = add_story(store, "Floods in the valley", ["AP", "BBC"], tags=("#Climate",))
    add_story(store, "Unfollowed match", ["AP"], tags=("#Sports",))
    with store.transaction() as repo:
        user = repo.user_by_name("ada")
        assert user is not None
        repo.follow(user.id, "tag", "Climate", "#Climate", utcnow())
    _log_in(client)
    made = client.post(
        "/account/digest/feed", data={"csrf_token": _csrf(client, "/account/digest")}
    )
    found = _FEED.search(made.text)
    assert made.status_code == 200 and found, made.text
    url = found.group(1)
    path = url.removeprefix("https://news.example.org")  # the public address from the settings
    assert path.startswith("/digest/") and path.endswith(".atom")
    again = client.get("/account/digest")
    assert path not in again.text and "You have a private feed address" in again.text

    client.cookies.clear()  # a feed reader has no session
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert answer.headers["x-robots-tag"] == "noindex"
    assert answer.headers["cache-control"] == "private, no-store"  # never in the shared cache
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "newsdesk: ada's daily digest"
    assert [e.title for e in feed.entries] == ["Floods in the valley"]
    assert feed.entries[0].link == f"http://testserver/story/{story}"

    _log_in(client)
    rotated = client.post(
        "/account/digest/feed", data={"csrf_token": _csrf(client, "/account/digest")}
    )
    new = _FEED.search(rotated.text)
    assert new and new.group(1) != url
    client.cookies.clear()
    gone = client.get(path)
    assert gone.status_code == 404 and "text/html" in gone.headers["content-type"]
    assert "There is no digest feed at this address." in gone.text
    assert gone.headers["x-robots-tag"] == "noindex"
    assert client.get("/digest/nonsense.atom").status_code == 404


def test_the_e_mails_unsubscribe_link_asks_then_one_click_post_turns_e_mails_off(
    site: tuple[TestClient, Store], smtp: SmtpServer, tmp_path: Path
) -> None:
    client, store = site
    add_story(store, "Floods in the valley", ["AP", "BBC"], tags=("#Climate",))
    with store.transaction() as repo:
        user = repo.user_by_name("ada")
        assert user is not None
        repo.follow(user.id, "tag", "Climate", "#Climate", utcnow())
        repo.set_digest(user.id, frequency="daily", email="ada@example.org")
    settings = mail_settings(tmp_path / "web.db", smtp.port)
    now = utcnow()
    send.send_digests(store, settings, now, send.recipients(store, now))
    [message] = smtp.box.to("ada@example.org")
    link = message["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://news.example.org")

    page = client.get(path)  # a mail scanner opening the link changes nothing
    assert (
        page.status_code == 200 and "Stop the daily digest e-mails to ada@example.org?" in page.text
    )
    assert page.headers["x-robots-tag"] == "noindex"
    with store.transaction(readonly=True) as repo:
        assert repo.digest_settings(user.id).frequency == "daily"

    # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
    done = TestClient(client.app).post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Unsubscribed" in done.text
    with store.transaction(readonly=True) as repo:
        assert repo.digest_settings(user.id).frequency == "off"
    assert "Unsubscribed" in client.get(path).text  # the link still says so

    assert client.post("/digest/unsubscribe/made-up-token").status_code == 404
    stale = client.get("/digest/unsubscribe/made-up-token")
    assert stale.status_code == 404 and "not valid any more" in stale.text
