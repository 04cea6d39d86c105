"""The sources admin, logged in as an admin: add a feed from a real server on 127.0.0.1, see
its poll state, poll it now, OPML in and out; CSRF, members and hostile URLs are refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from fastapi import FastAPI
from lxml import html as lxml_html
from starlette.testclient import TestClient

from localserver import LocalServer, loopback_settings, reply, rss, running_server, serve_feed
from newsdesk.config import Settings
from newsdesk.sources import parse_opml
from newsdesk.web.app import create_app

from .accounts_app import add_user, csrf, log_in

PAGE = "/admin/sources"


@dataclass(frozen=True)
class Desk:
    app: FastAPI
    server: LocalServer
    admin: TestClient
    member: TestClient


def settings(db: Path, *, private: bool) -> Settings:
    return loopback_settings(db=str(db), allow_private_networks=private, fetch_articles=False)


def desk_for(db: Path, *, private: bool) -> Iterator[Desk]:
    app = create_app(settings(db, private=private))
    with running_server() as server, TestClient(app):  # runs the lifespan: builds the store
        add_user(app, "admin", role="admin")
        add_user(app, "mallory")
        yield Desk(app, server, log_in(app, "admin"), log_in(app, "mallory"))


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    yield from desk_for(tmp_path / "web.db", private=True)


@pytest.fixture
def closed_desk(tmp_path: Path) -> Iterator[Desk]:
    """Default settings: private and loopback addresses may not be fetched."""
    yield from desk_for(tmp_path / "web.db", private=False)


def post(client: TestClient, path: str, **data: str) -> str:
    """POST a form with the page's CSRF token; the notice shown on the page it leads back to."""
    answer = client.post(path, data={**data, "csrf_token": csrf(client, PAGE)})
    assert answer.status_code == 200 and answer.url.path == PAGE, answer.text
    return notice(answer.text)


def notice(page: str) -> str:
    found = lxml_html.fromstring(page).xpath('//p[@class="notice"]')
    assert found, "the page shows what the action did"
    text: str = found[0].text_content()
    return text


def rows(page: str) -> dict[str, list[str]]:
    """Each subscription row's cell texts, by the source URL it lists."""
    table = lxml_html.fromstring(page).xpath('//table[@class="sources"]/tbody/tr')
    out = {}
    for tr in table:
        cells = [" ".join(" ".join(td.itertext()).split()) for td in tr.xpath("td")]
        url = tr.xpath("td[1]/small")
        if url:
            out[url[0].text_content()] = cells
    return out


def sources(app: FastAPI) -> list[str]:
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        return [s.url for s in repo.list_sources()]


def source_id(app: FastAPI, url: str) -> int:
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        return repo.get_source(url).id


def test_admin_adds_a_feed_sees_its_state_and_polls_it_now(desk: Desk) -> None:
    url = desk.server.url("/feed.xml")
    serve_feed(desk.server, "/feed.xml", 200, rss(desk.server, "Local News"))
    page = desk.admin.get(PAGE)
    assert page.status_code == 200 and "No subscriptions yet." in page.text

    assert post(desk.admin, PAGE, url=url) == f"subscribed to {url}: 3 new articles"
    kind, last_poll, next_check, errors = rows(desk.admin.get(PAGE).text)[url][1:5]
    assert kind == "feed" and last_poll != "never" and next_check != "now"
    assert errors == "0"
    assert rows(desk.admin.get(PAGE).text)[url][0].startswith("Local News")

    poll = f"/admin/sources/{source_id(desk.app, url)}/poll"
    assert post(desk.admin, poll) == f"polled {url}: 0 new"

    serve_feed(desk.server, "/feed.xml", 500, b"down for maintenance")
    message = post(desk.admin, poll)
    assert message.startswith(f"poll of {url} failed: ") and "500" in message
    assert "\n" not in message
    errors = rows(desk.admin.get(PAGE).text)[url][4]
    assert errors.startswith("1 ") and "500" in errors  # the count, then the last error
    gone = desk.admin.post(f"{PAGE}/999/poll", data={"csrf_token": csrf(desk.admin, PAGE)})
    assert gone.status_code == 404


def test_a_feed_whose_first_poll_fails_is_reported_as_subscribed(desk: Desk) -> None:
    url = desk.server.url("/flaky.xml")
    body = rss(desk.server, "Local News")
    served: list[int] = []

    def flaky(h: BaseHTTPRequestHandler) -> None:  # a feed once, then an error
        served.append(1)
        reply(h, 200 if len(served) == 1 else 503, body, {"Content-Type": "application/rss+xml"})

    desk.server.routes["/flaky.xml"] = flaky
    message = post(desk.admin, PAGE, url=url)
    assert sources(desk.app) == [url]  # it is subscribed: the notice must not say "not added"
    assert message.startswith(f"subscribed to {url}, but the first poll failed: ")
    assert "503" in message and "\n" not in message
    assert "503" in rows(desk.admin.get(PAGE).text)[url][4]


def test_a_url_that_is_no_feed_nor_page_adds_nothing(desk: Desk) -> None:
    serve_feed(desk.server, "/broken.xml", 500, b"<rss>")
    message = post(desk.admin, PAGE, url=desk.server.url("/broken.xml"))
    assert message.startswith("not added: ") and "500" in message and "\n" not in message
    assert sources(desk.app) == []


def test_opml_import_then_export_round_trips(desk: Desk) -> None:
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
    <outline text="World"><outline text="One" type="rss" xmlUrl="https://one.example/feed.xml"
      htmlUrl="https://one.example/"/></outline>
    <outline text="Two" type="rss" xmlUrl="https://two.example/rss"/>
    <outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
    </body></opml>"""
    answer = desk.admin.post(
        f"{PAGE}/import",
        data={"csrf_token": csrf(desk.admin, PAGE)},
        files={"file": ("mine.opml", opml, "text/x-opml")},
    )
    assert notice(answer.text) == "2 feeds read, 2 new, 1 skipped"
    assert sources(desk.app) == ["https://one.example/feed.xml", "https://two.example/rss"]
    listed = rows(answer.text)
    assert listed["https://one.example/feed.xml"][2] == "never"

    exported = desk.admin.get(f"{PAGE}/export.opml")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    back = parse_opml(exported.content)
    assert not back.errors
    assert {(f.xml_url, f.title, f.category) for f in back.feeds} == {
        ("https://one.example/feed.xml", "One", "World"),
        ("https://two.example/rss", "Two", None),
    }


def test_unreadable_opml_is_reported_and_imports_nothing(desk: Desk) -> None:
    answer = desk.admin.post(
        f"{PAGE}/import",
        data={"csrf_token": csrf(desk.admin, PAGE)},
        files={"file": ("x.opml", b"<html><body>not a list</body></html>", "text/x-opml")},
    )
    assert notice(answer.text).startswith("not imported: opml:")
    assert sources(desk.app) == []


@pytest.mark.parametrize(
    "url, why",
    [
        ("javascript:alert(1)", "scheme 'javascript' is not http or https"),
        ("file:///etc/passwd", "scheme 'file' is not http or https"),
        ("http://user:pw@example.org/feed", "URLs with credentials are refused"),
    ],
)
def test_hostile_urls_are_refused_in_one_line(desk: Desk, url: str, why: str) -> None:
    message = post(desk.admin, PAGE, url=url)
    assert message.startswith("not added: ") and why in message and "\n" not in message
    assert sources(desk.app) == []


def test_a_private_address_is_refused_when_not_allowed(closed_desk: Desk) -> None:
    serve_feed(closed_desk.server, "/feed.xml", 200, rss(closed_desk.server, "Local News"))
    message = post(closed_desk.admin, PAGE, url=closed_desk.server.url("/feed.xml"))
    assert message.startswith("not added: ") and "127.0.0.1 is a loopback address" in message
    assert sources(closed_desk.app) == []
    assert closed_desk.server.paths() == []  # nothing was even fetched


def test_posts_without_csrf_token_are_refused(desk: Desk) -> None:
    url = desk.server.url("/feed.xml")
    for path, data in ((PAGE, {"url": url}), (f"{PAGE}/1/poll", {})):
        for form in (data, {**data, "csrf_token": "forged"}):
            answer = desk.admin.post(path, data=form)
            assert answer.status_code == 403 and "CSRF" in answer.text
    answer = desk.admin.post(f"{PAGE}/import", files={"file": ("a.opml", b"<opml/>")})
    assert answer.status_code == 403
    assert sources(desk.app) == [] and desk.server.paths() == []


def test_members_get_403_on_every_admin_route(desk: Desk) -> None:
    url = desk.server.url("/feed.xml")
    serve_feed(desk.server, "/feed.xml", 200, rss(desk.server, "Local News"))
    token = csrf(desk.member, "/login")
    assert desk.member.get(PAGE).status_code == 403
    assert desk.member.get(f"{PAGE}/export.opml").status_code == 403
    assert desk.member.post(PAGE, data={"url": url, "csrf_token": token}).status_code == 403
    opml = b'<opml><body><outline xmlUrl="https://one.example/feed.xml"/></body></opml>'
    answer = desk.member.post(
        f"{PAGE}/import", data={"csrf_token": token}, files={"file": ("a.opml", opml)}
    )
    assert answer.status_code == 403
    post(desk.admin, PAGE, url=url)  # a real source to poll
    fetched = desk.server.paths()
    poll = f"{PAGE}/{source_id(desk.app, url)}/poll"
    assert desk.member.post(poll, data={"csrf_token": token}).status_code == 403
    assert sources(desk.app) == [url] and desk.server.paths() == fetched
    logged_out = TestClient(desk.app, follow_redirects=False).get(PAGE)
    assert logged_out.status_code == 303 and logged_out.headers["location"] == f"/login?next={PAGE}"


def test_a_link_cannot_put_words_on_the_admin_page(desk: Desk) -> None:
    page = desk.admin.get(PAGE + "?message=Your+session+expired:+log+in+at+evil.example")
    assert page.status_code == 200
    assert "evil.example" not in page.text
    assert not lxml_html.fromstring(page.text).xpath('//p[@class="notice"]')
    # The notice of a real action shows once, then is gone.
    post(desk.admin, PAGE, url=desk.server.url("/broken.xml"))
    assert not lxml_html.fromstring(desk.admin.get(PAGE).text).xpath('//p[@class="notice"]')


@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:,x", "feed:http://example.com/"])
def test_a_feed_that_redirects_to_another_scheme_answers_with_the_reason(
    desk: Desk, target: str
) -> None:
    url = desk.server.url("/moved.xml")
    serve_feed(desk.server, "/moved.xml", 200, rss(desk.server, "Moved"))
    assert post(desk.admin, PAGE, url=url).startswith(f"subscribed to {url}")
    desk.server.routes["/moved.xml"] = lambda h: reply(h, 302, b"", {"Location": target})

    poll = f"/admin/sources/{source_id(desk.app, url)}/poll"
    message = post(desk.admin, poll)  # a page with the reason, never a 500
    assert message.startswith(f"poll of {url} failed: ") and "is not http or https" in message
    cells = rows(desk.admin.get(PAGE).text)[url]
    assert cells[4].startswith("1 ") and target.split(":")[0] in cells[4]
    assert "retried in " in cells[4]  # when it will be tried again

    other = desk.server.url("/other.xml")
    desk.server.routes["/other.xml"] = lambda h: reply(h, 301, b"", {"Location": target})
    message = post(desk.admin, PAGE, url=other)
    assert message.startswith("not added: ") and "is not http or https" in message
