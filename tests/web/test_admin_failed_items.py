"""The sources admin shows each source's failed items and the latest of them, with a Retry
button that runs the item again (its page from a real server on 127.0.0.1); CSRF and admins only."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from lxml import html as lxml_html
from starlette.testclient import TestClient

from localserver import LocalServer, loopback_settings, reply, running_server
from newsdesk.models import Item
from newsdesk.pipeline.job_codec import dump_job
from newsdesk.pipeline.prepare import ItemJob
from newsdesk.web.app import create_app

from .accounts_app import add_user, csrf, log_in

PAGE = "/admin/sources"
SAMPLE = sorted((Path(__file__).resolve().parents[2] / "data" / "sample" / "pages").glob("*.gz"))[0]
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[FastAPI, LocalServer]]:
    app = create_app(loopback_settings(db=str(tmp_path / "web.db")))
    with running_server() as server, TestClient(app):  # runs the lifespan: builds the store
        add_user(app, "admin", role="admin")
        add_user(app, "mallory")
        yield app, server


def fail(app: FastAPI, source_url: str, url: str, attempts: int) -> int:
    job = ItemJob(Item(url=url, source="Local News", title="T", summary="Teaser."), NOW)
    with app.state.newsdesk.store.transaction() as repo:
        source = repo.upsert_source(source_url, title="Local News")
        for _ in range(attempts):
            repo.record_failure(
                source_id=source.id, url=url, payload=dump_job(job), reason="extract: no text"
            )
        return next(f.id for f in repo.failed_items() if f.url == url)


def cells(page: str, table: str) -> list[list[str]]:
    rows = lxml_html.fromstring(page).xpath(f'//table[@class="{table}"]/tbody/tr')
    return [[" ".join(" ".join(td.itertext()).split()) for td in tr.xpath("td")] for tr in rows]


def notice(page: str) -> str:
    found = lxml_html.fromstring(page).xpath('//p[@class="notice"]')
    assert found, "the page shows what the action did"
    text: str = found[0].text_content()
    return text


def test_failed_items_are_counted_listed_and_retried(web: tuple[FastAPI, LocalServer]) -> None:
    app, server = web
    feed = server.url("/feed.xml")
    held = fail(app, feed, server.url("/a/1"), 3)
    fail(app, feed, server.url("/a/2"), 1)  # still tried by the poller: not listed
    admin = log_in(app, "admin")

    page = admin.get(PAGE).text
    [source_row] = cells(page, "sources")
    assert source_row[5] == "1"  # the source's failed items
    [listed] = cells(page, "sources failed")
    assert listed[0] == f"Local News {server.url('/a/1')}"
    assert listed[1:3] == ["extract: no text", "3"]
    assert f'action="/admin/sources/failures/{held}/retry"' in page

    html = gzip.decompress(SAMPLE.read_bytes())
    server.routes["/a/1"] = lambda h: reply(h, 200, html, {"Content-Type": "text/html"})
    answer = admin.post(f"{PAGE}/failures/{held}/retry", data={"csrf_token": csrf(admin, PAGE)})
    assert answer.status_code == 200 and answer.url.path == PAGE
    assert notice(answer.text) == f"#{held} {server.url('/a/1')} stored: new as article 1"
    assert "No failed items." in answer.text
    assert cells(answer.text, "sources")[0][5] == "0"

    gone = admin.post(f"{PAGE}/failures/{held}/retry", data={"csrf_token": csrf(admin, PAGE)})
    assert gone.status_code == 404


def test_a_retry_that_fails_again_says_so_and_keeps_the_item(
    web: tuple[FastAPI, LocalServer],
) -> None:
    app, server = web
    held = fail(app, server.url("/feed.xml"), server.url("/a/gone"), 3)  # a 404 page
    admin = log_in(app, "admin")
    answer = admin.post(f"{PAGE}/failures/{held}/retry", data={"csrf_token": csrf(admin, PAGE)})
    said = notice(answer.text)
    assert said.startswith(f"#{held} {server.url('/a/gone')} failed again (4 attempts): ")
    assert "404" in said and "\n" not in said
    assert cells(answer.text, "sources failed")[0][2] == "4"


def test_retry_needs_an_admin_and_a_csrf_token(web: tuple[FastAPI, LocalServer]) -> None:
    app, server = web
    held = fail(app, server.url("/feed.xml"), server.url("/a/1"), 3)
    admin, member = log_in(app, "admin"), log_in(app, "mallory")
    path = f"{PAGE}/failures/{held}/retry"
    assert member.post(path, data={"csrf_token": csrf(member, "/login")}).status_code == 403
    for form in ({}, {"csrf_token": "forged"}):
        assert admin.post(path, data=form).status_code == 403
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        assert repo.get_failed_item(held) is not None
    assert server.paths() == []  # nothing was fetched
