"""Real `newsdesk worker` and `newsdesk scheduler` processes ingest a local feed server's feeds
through RabbitMQ into PostgreSQL: every item stored once, a worker killed with kill -9 in the
middle of a task loses nothing and doubles nothing, an item that keeps failing goes to the
failed-items table and can be retried by hand, and one scheduler runs at a time."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from localserver import LocalServer, reply, running_server, serve_feed
from newsdesk.config import Settings
from newsdesk.distributed.enqueue import enqueue_job, enqueue_polls
from newsdesk.distributed.heartbeat import workers_seen
from newsdesk.pipeline.job_codec import load_job
from newsdesk.store import Store
from support.processes import Start, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.redis]

FEEDS = ("alpha", "bravo", "charlie")
ITEMS = 8
PAGE_DELAY_S = 0.15  # a page takes a while: workers are caught in the middle of tasks
TRAP_DELAY_S = 30.0  # the first fetch of the trap page: the worker fetching it is killed
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "pe",
    "da",
    "bu",
    "go",
    "ha",
    "je",
    "ki",
]


def words(seed: str, n: int) -> str:
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n)
    )


def page(title: str, seed: str) -> bytes:
    paragraphs = "".join(f"<p>{words(f'{seed}-{i}', 45)}.</p>" for i in range(5))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def teaser_feed(server: LocalServer, name: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{name} story {i}</title><link>{server.url(path)}</link>"
        f"<guid>{name}-{i}</guid><description>{name} teaser {i}.</description></item>"
        for i, path in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    ).encode()


class Site:
    """Feeds of teasers whose pages answer slowly; one trap page hangs the first time."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.trap = f"/{FEEDS[0]}/0"
        self.trap_agents: list[str] = []
        self.empty_is_fixed = False
        self._lock = threading.Lock()
        for name in FEEDS:
            paths = [f"/{name}/{i}" for i in range(ITEMS)]
            if name == FEEDS[-1]:
                paths.append("/empty")  # extracts to nothing: fails every time
            for path in paths:
                server.routes[path] = self._page(path)
            if name == FEEDS[-1]:
                paths.append("/gone")  # no such page (404): stored from the feed's text
            server.routes[f"/{name}.xml"] = self._feed(teaser_feed(server, name, paths))

    @property
    def page_urls(self) -> set[str]:
        """What must be stored: every page, and the item whose page is gone."""
        pages = {self.server.url(f"/{name}/{i}") for name in FEEDS for i in range(ITEMS)}
        return pages | {self.server.url("/gone")}

    def _feed(self, body: bytes):  # type: ignore[no-untyped-def]
        def route(h: BaseHTTPRequestHandler) -> None:
            reply(h, 200, body, {"Content-Type": "application/rss+xml"})

        return route

    def _page(self, path: str):  # type: ignore[no-untyped-def]
        def route(h: BaseHTTPRequestHandler) -> None:
            delay = PAGE_DELAY_S
            if path == self.trap:
                with self._lock:
                    self.trap_agents.append(h.headers.get("User-Agent", ""))
                    first = len(self.trap_agents) == 1
                delay = TRAP_DELAY_S if first else PAGE_DELAY_S
            time.sleep(delay)
            if path == "/empty" and not self.empty_is_fixed:
                body = b"<html><body></body></html>"
            else:
                body = page(f"Report {path}", path)
            with contextlib.suppress(OSError):  # the worker fetching it was killed
                reply(h, 200, body, {"Content-Type": "text/html; charset=utf-8"})

        return route


@pytest.fixture
def site() -> Iterator[Site]:
    with running_server() as server:
        yield Site(server)


def test_workers_store_every_item_once_through_a_kill(
    site: Site, start: Start, desk_env: dict[str, str], pg_url: str
) -> None:
    with Store.open(pg_url) as store:
        with store.transaction() as repo:
            for name in FEEDS:
                repo.upsert_source(site.server.url(f"/{name}.xml"), kind="feed")

        # one worker of one process (the solo pool), one of two (a prefork pool)
        workers = {
            agent: start(
                agent, "worker", "--queues", "poll,ingest", "--concurrency", processes,
                NEWSDESK_USER_AGENT=agent,
            )
            for agent, processes in (("worker-a", "1"), ("worker-b", "2"))
        }  # fmt: skip
        scheduler = start("scheduler", "scheduler")
        scheduler.wait_line("holding the lock", timeout=30)

        # One worker is in the middle of the trap item's task (its page hangs): kill -9 it.
        wait_until(lambda: bool(site.trap_agents), 60, "a worker fetches the trap page")
        victim = site.trap_agents[0]
        workers[victim].kill9()
        survivor = next(agent for agent in workers if agent != victim)

        def stored() -> Counter[str]:
            with store.transaction(readonly=True) as repo:
                return Counter(a.url or "" for a, _ in repo.iter_articles())

        wait_until(lambda: set(stored()) >= site.page_urls, 90, "every item stored")
        empty, gone = site.server.url("/empty"), site.server.url("/gone")
        wait_until(lambda: _failures(store) == {empty: 3, gone: 1}, 30, "the empty page held")

        # Nothing lost, nothing doubled: each page once, seen once, nothing else stored.
        counts = stored()
        assert set(counts) == site.page_urls
        assert set(counts.values()) == {1}
        with store.transaction(readonly=True) as repo:
            sightings = [len(a.sightings) for a, _ in repo.iter_articles()]
        assert sightings == [1] * len(site.page_urls)
        # The killed worker's task ran again on the other worker.
        assert site.trap_agents[:1] == [victim]
        assert survivor in site.trap_agents[1:]

        # Every feed polled again: each item is found unchanged, nothing is stored twice.
        settings = Settings.from_env(desk_env)
        with store.transaction(readonly=True) as repo:
            enqueue_polls(settings, [source.id for source in repo.list_sources()])
        pages = site.page_urls - {gone}
        again = workers[survivor]
        wait_until(
            lambda: all(any(f"ingest: {url}: unchanged" in line for line in again.lines)
                        for url in pages),
            60,
            "every page found unchanged",
        )  # fmt: skip
        assert stored() == counts
        seen = workers_seen(settings)
        assert any(name.startswith("poll+ingest.") for name in seen), seen

        # Retried by hand once the page is fixed: stored, and its failure record gone.
        site.empty_is_fixed = True
        with store.transaction() as repo:
            held = next(item for item in repo.failed_items() if item.url == empty)
            taken = repo.take_failed_item(held.id)
        assert taken is not None
        enqueue_job(settings, load_job(taken.payload), taken.source_id)
        wait_until(lambda: empty in stored(), 30, "the retried item stored")
        assert list(_failures(store)) == [gone]


def _failures(store: Store) -> dict[str, int]:
    """URL -> failed attempts of every recorded item."""
    with store.transaction(readonly=True) as repo:
        return {item.url: item.attempts for item in repo.failed_items()}


def test_a_second_scheduler_waits_for_the_lock(start: Start, pg_url: str) -> None:
    Store.open(pg_url).close()  # migrated once, before two processes race to do it
    first = start("scheduler-1", "scheduler")
    first.wait_line("holding the lock", timeout=30)
    second = start("scheduler-2", "scheduler")
    second.wait_line("another scheduler holds the scheduler lock; waiting", timeout=30)
    assert not any("holding the lock" in line for line in second.lines)
    first.stop()
    second.wait_line("holding the lock", timeout=30)


def full_feed(server: LocalServer, name: str, items: int) -> bytes:
    """Items that carry their whole text: no page to fetch."""
    body = "".join(
        f"<item><title>{name} report {i}</title><link>{server.url(f'/{name}/{i}')}</link>"
        f"<guid>{name}-{i}</guid><description>{words(f'{name}-{i}', 180)}.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>{server.url('/')}</link>{body}</channel></rss>"
    ).encode()


def test_one_placement_consumer_at_a_time_and_another_takes_over(start: Start, pg_url: str) -> None:
    with running_server() as server, Store.open(pg_url) as store:
        for name in ("first", "second"):
            serve_feed(server, f"/{name}.xml", 200, full_feed(server, name, 4))
        with store.transaction() as repo:
            repo.upsert_source(server.url("/first.xml"), kind="feed")

        enrich = {"NEWSDESK_ENRICH": "1"}
        start("worker", "worker", "--queues", "poll,ingest,enrich", **enrich)
        placer = start("placer-1", "worker", "--queues", "place", **enrich)
        placer.wait_line("this worker is the placement consumer", timeout=30)
        standby = start("placer-2", "worker", "--queues", "place", **enrich)
        standby.wait_line("another placement consumer holds the placement lock", timeout=30)
        start("scheduler", "scheduler", **enrich)

        def placed() -> list[int | None]:
            with store.transaction(readonly=True) as repo:
                return [repo.story_of(a.id) for a, dup in repo.iter_articles() if dup is None]

        wait_until(lambda: any(placed()), 120, "the first article placed")
        placer.kill9()
        standby.wait_line("this worker is the placement consumer", timeout=30)
        with store.transaction() as repo:  # news after the takeover: the standby places it
            repo.upsert_source(server.url("/second.xml"), kind="feed")

        def finished() -> bool:
            with store.transaction(readonly=True) as repo:
                ids = [a.id for a, _ in repo.iter_articles()]
                return len(ids) == 8 and not repo.unfinished_among(ids)

        wait_until(finished, 120, "every article briefed, embedded and placed")
        assert all(story is not None for story in placed())
