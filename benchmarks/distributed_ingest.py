"""Distributed ingest (issue 10): items per second with 1 and 2 worker processes, in one run,
and the rates that bound the projection to N hosts (enrichment per process, the one placement
consumer). Not a test. Needs PostgreSQL, RabbitMQ and Redis on 127.0.0.1. Usage:

    .venv/bin/python benchmarks/distributed_ingest.py [--pages 200] [--workers 1,2] [--place 100]
        [--place-batches 1,8]

The corpus pages (../shared/corpus/pages) are served by a loopback HTTP server behind teaser
feeds of 20 items; every item is a page fetch + extraction + dedup + store on a real
`newsdesk worker --queues poll,ingest` process (RabbitMQ broker, PostgreSQL store, a fresh
schema per run). The clock runs from the polls being queued until every item is stored or
recorded as failed. Enrichment and placement are timed in this process, on a fresh schema,
over the first --place pages: enrich_many (what one enrich worker process does per article) and
StoryDesk.place_enriched one article at a time (what the placement consumer does per message);
so is the one step of an ingest task that runs one at a time across workers (dedup + store
under the dedup lock).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from newsdesk.config import Settings
from newsdesk.distributed.enqueue import enqueue_polls
from newsdesk.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
PG_URL = os.environ.get(
    "NEWSDESK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BROKER_URL = os.environ.get("NEWSDESK_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("NEWSDESK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
ITEMS_PER_FEED = 20
TIMEOUT_S = 900.0
QUIET_S = 10.0
WARM_PAGES = 10


def load_pages(limit: int) -> list[tuple[str, bytes]]:
    """(title, html) of corpus pages, one per URL: a page seen twice would be a repeat."""
    pages, urls = [], set()
    for line in (CORPUS / "pages" / "index.jsonl").open(encoding="utf-8"):
        meta = json.loads(line)
        if meta["url"] in urls:
            continue
        urls.add(meta["url"])
        raw = gzip.decompress((CORPUS / "pages" / meta["html"]).read_bytes())
        pages.append((meta["title"] or meta["id"], raw))
    return pages[:limit] if limit else pages


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, tuple[str, bytes]] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def publish(self, run: str, pages: list[tuple[str, bytes]]) -> list[str]:
        """Feeds of teasers for these pages under /<run>/."""
        feeds = []
        for start in range(0, len(pages), ITEMS_PER_FEED):
            items = []
            for i, (title, body) in enumerate(pages[start : start + ITEMS_PER_FEED], start):
                path = f"/{run}/p/{i}"
                self.routes[path] = ("text/html; charset=utf-8", body)
                items.append(
                    f"<item><title>{html.escape(title)}</title><link>{self.url(path)}</link>"
                    f"<guid>{run}-{i}</guid><description>teaser {i}</description></item>"
                )
            feed = f"/{run}/feed/{start}.xml"
            xml = (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>feed {start}</title>'
                f"<link>{self.url('/')}</link>{''.join(items)}</channel></rss>"
            )
            self.routes[feed] = ("application/rss+xml", xml.encode())
            feeds.append(self.url(feed))
        return feeds


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        found = self.server.routes.get(self.path)
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def schema() -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield (
            make_url(PG_URL)
            .update_query_dict({"options": f"-csearch_path={name}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def processed(store: Store) -> int:
    """Items stored or recorded as failed."""
    with store.engine.connect() as conn:
        articles = conn.execute(text("SELECT count(*) FROM sightings")).scalar_one()
        failed = conn.execute(text("SELECT count(*) FROM failed_items")).scalar_one()
    return int(articles) + int(failed)


def run_workers(
    site: Site, workers: int, pages: list[tuple[str, bytes]], warm: list[tuple[str, bytes]]
) -> tuple[float, int, float]:
    """(seconds, items processed, worker CPU seconds) for these pages on this many workers,
    on a fresh schema (the same pages in one store would be repeats, cheaper to store)."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with schema() as db:
        env = {
            **os.environ,
            "NEWSDESK_DB": db,
            "NEWSDESK_BROKER_URL": BROKER_URL,
            "NEWSDESK_REDIS_URL": REDIS_URL,
            "NEWSDESK_REDIS_PREFIX": f"{prefix}:",
            "NEWSDESK_QUEUE_PREFIX": prefix,
            "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "1",
            "NEWSDESK_PER_HOST_DELAY": "0",
            "NEWSDESK_ENRICH": "0",
            "NEWSDESK_BACKOFF": "0.05",
        }
        settings = Settings.from_env(env)
        store = Store.open(db)
        command = [NEWSDESK, "worker", "--queues", "poll,ingest"]
        procs = [
            subprocess.Popen(command, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(workers)
        ]  # fmt: skip
        try:
            # warm-up: the workers have imported the stack and extracted pages before the clock
            poll(store, settings, site.publish(f"warm-{prefix}", warm))
            base = wait_for(store, settings, len(warm))
            cpu_before = sum(cpu_seconds(p.pid) for p in procs)
            started = time.perf_counter()
            poll(store, settings, site.publish(f"run-{prefix}", pages))
            done = wait_for(store, settings, base + len(pages)) - base
            elapsed = time.perf_counter() - started
            cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu_before
        finally:
            for p in procs:
                os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                p.wait(60)
            delete_queues(prefix)
            store.close()
    return elapsed, done, cpu


def poll(store: Store, settings: Settings, feeds: list[str]) -> None:
    with store.transaction() as repo:
        ids = [repo.upsert_source(url, kind="feed").id for url in feeds]
    enqueue_polls(settings, ids)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(store: Store, settings: Settings, count: int) -> int:
    """Wait until `count` items are processed, or the ingest queue is empty and nothing has
    moved for QUIET_S (an item found a repeat adds no row); how many were processed."""
    ends = time.monotonic() + TIMEOUT_S
    last, moved = -1, time.monotonic()
    while (now := processed(store)) < count:
        if now != last:
            last, moved = now, time.monotonic()
        elif time.monotonic() - moved > QUIET_S and queued(settings) == 0:
            return now
        if time.monotonic() > ends:
            raise SystemExit(f"not every item processed in {TIMEOUT_S} s")
        time.sleep(0.1)
    return now


def queued(settings: Settings) -> int:
    from kombu import Connection

    with Connection(BROKER_URL, connect_timeout=5) as conn:
        channel = conn.channel()
        try:
            _, messages, _ = channel.queue_declare(  # type: ignore[attr-defined]
                queue=f"{settings.queue_prefix}.ingest", passive=True
            )
        finally:
            channel.close()  # type: ignore[attr-defined]
    return int(messages)


def delete_queues(prefix: str) -> None:
    from kombu import Connection, Exchange, Queue

    with Connection(BROKER_URL, connect_timeout=5) as conn:
        for stage in ("poll", "ingest", "enrich", "place"):
            Queue(f"{prefix}.{stage}", channel=conn.channel()).delete()
        Exchange(prefix, channel=conn.channel()).delete()


def dedup_store_and_place(
    db: str, pages: list[tuple[str, bytes]], batch: int
) -> tuple[int, Timed, int, Timed, Timed]:
    """In this process, on these pages: (items, the serialized step of an ingest task: dedup +
    store under the dedup lock, one transaction each; articles, enrichment in one process,
    placement one message at a time)."""
    from newsdesk.app import build
    from newsdesk.dates import utcnow
    from newsdesk.distributed.locks import DEDUP, StoreLock
    from newsdesk.pipeline.enrich import ENRICH_BATCH, Enriched, StoryDesk, enrich_many, job_for
    from newsdesk.pipeline.ingest import store_prepared
    from newsdesk.pipeline.prepare import PageJob, Prepared
    from newsdesk.pipeline.runner import LocalRunner

    now = utcnow()
    with build(Settings(db=db, enrich=False, workers=1)) as app:
        preparer, store = app.ingestor.preparer, app.store
        jobs = [PageJob(content=body, url=None, seen_at=now, ref=f"page-{i}")
                for i, (_, body) in enumerate(pages)]  # fmt: skip
        ready = [r for r in map(preparer, jobs) if isinstance(r, Prepared)]
        started = Timed.now()
        for prepared in ready:
            with StoreLock(store, DEDUP), store.transaction() as repo:
                store_prepared(repo, prepared, preparer.deduper())
        dedup = Timed.now() - started
        with store.transaction(readonly=True) as repo:
            enrich_jobs = [job_for(a) for a in repo.get_articles(repo.all_canonical_ids())]
        enrich_many(enrich_jobs[:2])  # warm-up: spaCy and the embedder load
        started = Timed.now()
        done: list[Enriched] = []
        for i in range(0, len(enrich_jobs), ENRICH_BATCH):
            results = enrich_many(enrich_jobs[i : i + ENRICH_BATCH])
            done.extend(r for r in results if isinstance(r, Enriched))
        enrich = Timed.now() - started
        desk = StoryDesk(store, LocalRunner(1))
        desk.load()
        started = Timed.now()
        for i in range(0, len(done), batch):
            desk.place_enriched(done[i : i + batch])
        place = Timed.now() - started
    return len(ready), dedup, len(done), enrich, place


@dataclass(frozen=True)
class Timed:
    """Wall and CPU seconds of this process."""

    wall: float
    cpu: float

    @staticmethod
    def now() -> Timed:
        return Timed(time.perf_counter(), time.process_time())

    def __sub__(self, other: Timed) -> Timed:
        return Timed(self.wall - other.wall, self.cpu - other.cpu)

    def line(self, what: str, n: int) -> str:
        return (
            f"{what}: {n / self.wall:.1f} articles/s wall ({self.wall / n * 1000:.0f} ms each), "
            f"{self.cpu / n * 1000:.0f} ms CPU each"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument(
        "--workers", default="1,2", help="worker process counts, one run each ('': none)"
    )
    parser.add_argument("--place", type=int, default=100, help="articles enriched and placed")
    parser.add_argument(
        "--place-batches", default="1", help="articles per placement, one fresh store each"
    )
    args = parser.parse_args()
    every = load_pages(0)
    pages, warm = every[: args.pages], every[-WARM_PAGES:]
    site = Site()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    rows = []
    for n in (int(x) for x in args.workers.split(",") if x):
        seconds, items, cpu = run_workers(site, n, pages, warm)
        rows.append((n, seconds, items, cpu))
    placed = []
    for batch in (int(x) for x in args.place_batches.split(",")):
        with schema() as db:
            done = dedup_store_and_place(db, pages[: args.place], batch)
        placed.append((batch, done))
    site.shutdown()
    print(f"pages: {len(pages)} corpus pages behind teaser feeds of {ITEMS_PER_FEED}; "
          f"machine: {os.cpu_count()} cores")  # fmt: skip
    print("| worker processes | seconds | items | items/s | worker CPU per item |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, seconds, count, cpu in rows:
        print(f"| {n} | {seconds:.2f} | {count} | {count / seconds:.1f} | "
              f"{cpu / count * 1000:.0f} ms |")  # fmt: skip
    if len(rows) > 1:
        print(f"ratio {rows[-1][0]} / {rows[0][0]} processes: {rows[0][1] / rows[-1][1]:.2f}x")
    for batch, (items, dedup, articles, enrich, place) in placed:
        print(f"on {items} pages, placing {batch} article(s) at a time:")
        print("  " + dedup.line("dedup + store under the dedup lock", items))
        print("  " + enrich.line("enrich, one process", articles))
        print("  " + place.line("placement consumer", articles))
    return 0


if __name__ == "__main__":
    sys.exit(main())
