"""Errors are pages: every HTML route answers a failure with the site's page for it (keeping the
status), a logged-out visitor of an admin page is sent to the login and back, `next` never leads
off the site, admin links are for admins, and every time on a page has one shape. The API and
the feeds keep their JSON errors. The real app (create_app) over a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest
from fastapi import FastAPI
from lxml import html as lxml_html
from starlette.testclient import TestClient

from localserver import loopback_settings
from newsdesk.app import build
from newsdesk.dates import utcnow
from newsdesk.web.accounts import safe_next
from newsdesk.web.app import create_app
from newsdesk.web.templating import absolute, moment, when
from support.pages import PagesData

from .accounts_app import PASSWORD, add_user, csrf, log_in

CRASH = "/test-only/crash"  # a route these tests add, to see what a bug looks like


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    db = tmp_path_factory.mktemp("errors") / "errors.db"
    built = create_app(loopback_settings(db=str(db), page_cache_seconds=0))

    def crash() -> None:
        raise RuntimeError("a bug")

    built.add_api_route(CRASH, crash)
    built.add_api_route("/api" + CRASH, crash)
    with TestClient(built):  # the lifespan: the store is open
        add_user(built, "admin", role="admin")
        add_user(built, "member")
        yield built


def anonymous(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False, raise_server_exceptions=False)


class Answer(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def headers(self) -> Mapping[str, str]: ...


def assert_page(answer: Answer, status: int, *words: str) -> str:
    assert answer.status_code == status, answer.text[:300]
    headers = answer.headers
    assert headers["content-type"].startswith("text/html"), headers["content-type"]
    text = answer.text
    assert text.startswith("<!doctype html>") and "</html>" in text
    for word in words:
        assert word in text, (word, text[:500])
    assert "content-security-policy" in headers  # the site's headers, errors included
    return text


def test_a_path_that_is_not_an_id_is_a_404_page(app: FastAPI) -> None:
    client = anonymous(app)
    for path in ("/article/abc", "/story/abc", "/article/1.5", "/story/-"):
        assert_page(client.get(path), 404, "Not found")


def test_a_missing_story_or_article_is_a_404_page(app: FastAPI) -> None:
    client = anonymous(app)
    assert_page(client.get("/story/999999999"), 404, "Not found", "Back to the top stories")
    assert_page(client.get("/article/999999999"), 404, "Not found")
    assert_page(client.get("/no/such/page"), 404, "Not found")


def test_a_bad_query_value_is_a_400_page(app: FastAPI) -> None:
    client = anonymous(app)
    text = assert_page(client.get("/?page=abc"), 400, "Bad request", "page")
    assert "{" not in text.split("<main", 1)[1].split("</main>", 1)[0]  # no JSON in the page
    assert_page(client.get("/?page=0"), 400, "Bad request")


def test_a_method_a_page_lacks_is_a_405_page_naming_what_it_allows(app: FastAPI) -> None:
    client = anonymous(app)
    token = csrf(client)
    answer = client.delete("/search", headers={"X-CSRF-Token": token})
    assert_page(answer, 405, "cannot be reached that way")
    assert "GET" in answer.headers["allow"]


def test_a_member_on_an_admin_page_gets_a_403_page(app: FastAPI) -> None:
    member = log_in(app, "member")
    for path in ("/admin/sources", "/admin/status"):
        assert_page(member.get(path), 403, "Not allowed", "Only admins")


def test_a_bug_is_a_500_page_without_the_store(app: FastAPI) -> None:
    text = assert_page(anonymous(app).get(CRASH), 500, "Something went wrong")
    assert "a bug" not in text  # the exception stays in the log
    assert 'class="section-bar"' not in text  # the page asks nothing of the store
    api = anonymous(app).get("/api" + CRASH)
    assert api.status_code == 500 and api.json()["error"]["code"] == "internal"


def test_logged_out_admin_page_redirects_to_login_then_lands_there(app: FastAPI) -> None:
    client = anonymous(app)
    for path, expected in (
        ("/admin/sources", "/login?next=/admin/sources"),
        ("/admin/status", "/login?next=/admin/status"),
        ("/admin/sources?q=a&b=1", "/login?next=/admin/sources%3Fq%3Da%26b%3D1"),
    ):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == expected, path
    form = client.get("/login?next=/admin/sources")
    assert 'name="next" value="/admin/sources"' in form.text
    data = {"name": "admin", "password": PASSWORD, "csrf_token": csrf(client)}
    answer = client.post("/login", data={**data, "next": "/admin/sources"})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/sources"
    landed = client.get("/admin/sources")
    assert landed.status_code == 200 and "<h1" in landed.text


def test_logged_out_form_post_is_a_401_page_with_a_way_back(app: FastAPI) -> None:
    client = anonymous(app)
    token = csrf(client)
    answer = client.post(
        "/comments/article/1",
        data={"body": "hi", "csrf_token": token},
        headers={"Referer": "http://testserver/article/1?x=1"},
    )
    text = assert_page(answer, 401, "Log in first")
    assert 'href="/login?next=/article/1%3Fx%3D1"' in text
    assert "www-authenticate" not in answer.headers


OPEN_REDIRECTS = (
    "//evil.example",
    "//evil.example/path",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\\\\evil.example",
    "evil.example",
    "/login",
    "",
)


def test_open_redirects_are_refused(app: FastAPI) -> None:
    for target in OPEN_REDIRECTS:
        assert safe_next(target) == "/", repr(target)
        client = anonymous(app)
        form = client.get("/login", params={"next": target})
        assert 'name="next" value="/"' in form.text, repr(target)
        data = {"name": "member", "password": PASSWORD, "csrf_token": csrf(client), "next": target}
        answer = client.post("/login", data=data)
        assert answer.status_code == 303 and answer.headers["location"] == "/", repr(target)
    for kept in ("/", "/story/3", "/search?q=a%20b&lang=en", "/admin/sources"):
        assert safe_next(kept) == kept


def nav_links(page: str) -> set[str]:
    tree = lxml_html.fromstring(page)
    return {str(a.get("href")) for a in tree.cssselect("header nav[aria-label=Main] a")}


def test_admin_links_are_for_admins_only(app: FastAPI) -> None:
    admin_links = {"/admin/sources", "/admin/status"}
    assert not nav_links(anonymous(app).get("/search").text) & admin_links
    assert not nav_links(log_in(app, "member").get("/search").text) & admin_links
    assert admin_links <= nav_links(log_in(app, "admin").get("/search").text)


def test_log_in_link_comes_back_to_the_page(app: FastAPI) -> None:
    tree = lxml_html.fromstring(anonymous(app).get("/search?q=x").text)
    (login,) = [a.get("href") for a in tree.cssselect(".account a") if a.text == "Log in"]
    assert login == "/login?next=/search"


def test_api_and_feed_errors_stay_json(app: FastAPI) -> None:
    client = anonymous(app)
    for path in ("/api/v1/articles/999999999", "/api/v1/stories/999999999"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    invalid = client.get("/api/v1/articles/abc")
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid"
    feed = client.get("/feeds/story/999999999.atom")
    assert feed.status_code == 404 and feed.json()["error"]["code"] == "not_found"
    body = {"kind": "article", "target_id": 1, "body": "hello"}
    me = client.post("/api/v1/comments", json=body)
    assert me.status_code == 401 and me.json()["error"]["code"] == "unauthorized"


TIME = re.compile(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>')


def test_one_shape_for_every_time() -> None:
    now = utcnow()
    past = now - timedelta(hours=3, minutes=5)
    match = TIME.fullmatch(str(moment(past)))
    assert match, moment(past)
    assert match.group(1) == past.isoformat()
    assert match.group(2) == absolute(past) and match.group(2).endswith(" UTC")
    assert match.group(3) == "3 hours ago"
    soon = TIME.fullmatch(str(moment(now + timedelta(minutes=10, seconds=30))))
    assert soon and soon.group(3) == "in 10 minutes"
    naive = datetime(2026, 3, 2, 14, 20)  # naive times are UTC
    assert absolute(naive) == "2 Mar 2026, 14:20 UTC"
    assert TIME.fullmatch(str(moment(naive)))
    assert str(moment(None)) == '<span class="undated">undated</span>'
    assert str(moment(None, "never")) == '<span class="undated">never</span>'

    class Dated:
        published = datetime(2026, 3, 2, 14, 20, tzinfo=UTC)
        published_approx = True

    dated = TIME.fullmatch(str(when(Dated())))
    assert (
        dated
        and dated.group(3).startswith("about ")
        and dated.group(2) == absolute(Dated.published)
    )
    assert str(when(object())) == '<span class="undated">undated</span>'


def test_times_on_pages_have_the_one_shape(app: FastAPI) -> None:
    admin = log_in(app, "admin")
    page = admin.get("/admin/status").text
    times = re.findall(r"<time[^>]*>", page)
    assert times, "the status page says when it was read"
    for tag in times:
        assert re.fullmatch(r'<time datetime="[^"]+" title="[^"]+ UTC">', tag), tag
    assert "just now" in page


def test_every_time_on_the_reading_pages_has_the_one_shape(
    client: TestClient, pages_data: PagesData
) -> None:
    main = pages_data.seed_ids[0]
    newsdesk = build(pages_data.settings.with_(enrich=False))
    with newsdesk, newsdesk.store.transaction(readonly=True) as repo:
        story = repo.story_of(main)
    paths = ["/", f"/article/{main}", f"/story/{story}", "/search?q=prisoner"]
    seen = 0
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        for tag in re.findall(r"<time[^>]*>[^<]*</time>", page.text):
            assert TIME.fullmatch(tag), (path, tag)
            seen += 1
    assert seen, "the sample's dated articles show their times"
