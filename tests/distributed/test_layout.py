"""The multi-host layout of deploy/, on one machine: 2 web processes sharing the page cache in
Redis, 2 workers, 1 placement consumer and 1 scheduler, on real RabbitMQ, Redis and PostgreSQL.

News ingested by the workers is enriched, placed in stories and shows on both web processes
(the shared page kept before it is renewed everywhere); `newsdesk status` sees the workers."""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from localserver import LocalServer, reply, running_server
from newsdesk.store import Store
from support.processes import NEWSDESK, Start, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
ECB = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
TOPICS = ("ecbplus-1_", "ecbplus-3_")  # two events, two articles of each from two outlets


def _articles() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]
    return [row for topic in TOPICS for row in [r for r in rows if r["id"].startswith(topic)][:2]]


def _page(row: dict[str, str]) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in row["text"].split("\n") if p.strip())
    return (
        f"<html><head><title>{row['title']}</title></head><body><article>"
        f"<h1>{row['title']}</h1>{paragraphs}</article></body></html>"
    ).encode()


def _route(body: bytes, kind: str):  # type: ignore[no-untyped-def]
    def answer(h: BaseHTTPRequestHandler) -> None:
        reply(h, 200, body, {"Content-Type": kind})

    return answer


def _publish(server: LocalServer, rows: list[dict[str, str]]) -> list[str]:
    """Two feeds (one article of each event in each), teasers whose pages hold the text."""
    feeds = []
    for n, feed in enumerate(("first", "second")):
        items = ""
        for i, row in enumerate(rows[n::2]):
            path = f"/{feed}/{i}"
            server.routes[path] = _route(_page(row), "text/html; charset=utf-8")
            items += (
                f"<item><title>{row['title']}</title><link>{server.url(path)}</link>"
                f"<guid>{feed}-{i}</guid><description>teaser</description></item>"
            )
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{feed} outlet</title>'
            f"<link>{server.url('/')}</link>{items}</channel></rss>"
        ).encode()
        server.routes[f"/{feed}.xml"] = _route(body, "application/rss+xml")
        feeds.append(server.url(f"/{feed}.xml"))
    return feeds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running_server() as running:
        yield running


def test_two_webs_two_workers_one_placer_one_scheduler(
    server: LocalServer, start: Start, desk_env: dict[str, str], pg_url: str
) -> None:
    rows = _articles()
    feeds = _publish(server, rows)
    with Store.open(pg_url) as store:
        with store.transaction() as repo:
            for url in feeds:
                repo.upsert_source(url, kind="feed")

        web = {"NEWSDESK_PAGE_CACHE_BACKEND": "redis", "NEWSDESK_PAGE_CACHE_SECONDS": "600"}
        ports = [_free_port(), _free_port()]
        for port in ports:
            start(f"web-{port}", "serve", "--port", str(port), "--no-poll", **web)
        urls = [f"http://127.0.0.1:{port}/" for port in ports]

        def up(url: str) -> bool:
            try:
                return httpx.get(url, timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        for url in urls:
            wait_until(lambda url=url: up(url), 60, f"{url} serves")
        before = httpx.get(urls[0], timeout=10).text  # kept in Redis for both
        assert not any(row["title"] in before for row in rows)

        enrich = {"NEWSDESK_ENRICH": "1", "NEWSDESK_WORKERS": "1"}
        for name in ("worker-a", "worker-b"):
            start(name, "worker", "--queues", "poll,ingest,enrich", **enrich)
        start("placer", "worker", "--queues", "place", **enrich)
        start("scheduler", "scheduler").wait_line("holding the lock", timeout=30)

        def placed() -> int:
            with store.transaction(readonly=True) as repo:
                return sum(1 for a, _ in repo.iter_articles() if repo.story_of(a.id) is not None)

        wait_until(lambda: placed() == len(rows), 240, "every article enriched and placed")

        # Both web processes show the news: the page kept before was renewed everywhere.
        with store.transaction(readonly=True) as repo:
            titles = [html.escape(s.title) for s in repo.list_stories(limit=50)]
        assert titles

        def shows_news(url: str) -> bool:
            page = httpx.get(url, timeout=10).text
            return all(title in page for title in titles)

        for url in urls:
            wait_until(lambda url=url: shows_news(url), 30, f"{url} shows {titles}")

        shown = subprocess.run(
            [NEWSDESK, "status", "--json"],
            env={**os.environ, **desk_env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        status = json.loads(shown.stdout)
        assert status["mode"] == "distributed" and status["broker_error"] is None
        assert len(status["workers"]) >= 3, status["workers"]
        assert status["articles"] == len(rows)
