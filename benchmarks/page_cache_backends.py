"""The page cache in this process's memory against the one in Redis, same load, one run (issue 10;
not a test).

    .venv/bin/python benchmarks/page_cache_backends.py [--n 100000] [--workers 1 2]
        [--only front story search api_stories] [--duration 10] [--connections 50] [--warmup 5]
        [--rounds 1]

The store is web_latency.py's SQLite store of n articles (built and cached the same way). For
each worker count and endpoint, each backend in turn (memory first, then redis, then the order
flips for the next endpoint, so neither always runs on a warmer machine): a fresh uvicorn over
create_app (web_latency:asgi), the readers traffic of web_latency.py prewarmed (every URL the
traffic can ask for requested once, 4 at a time), --warmup seconds of wrk load, then --duration
seconds measured (wrk -t2 -c<connections> --latency). The redis backend runs with
NEWSDESK_PAGE_CACHE_BACKEND=redis, NEWSDESK_REDIS_URL (default redis://127.0.0.1:6379/0) and a
key prefix of this run's own, deleted at the end. Prints a markdown table: p50, p99 (ms), req/s,
non-2xx, and how many kept pages Redis held; with --rounds R everything is run R times (the
order still alternating) and the medians per row follow.

With several workers the memory backend keeps one cache per worker (the prewarm fills each
worker only with what it happened to render), the redis backend one cache for all of them.

    .venv/bin/python benchmarks/page_cache_backends.py --lookups 20000

instead times one kept page's read in this process, as the middleware does it (lookup, then the
body decompressed), for a 22 KB page of HTML: PageCache against SharedPageCache (with its near
copies, and with every read a round trip to Redis), alternating; prints p50 and p99 in
microseconds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_latency as bench  # a sibling script, not a package
from bench_serve import uvicorn_process

from newsdesk.store import Store

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("NEWSDESK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DEFAULT_ONLY = ["front", "story", "search", "api_stories"]


@contextmanager
def serving(url: str, workers: int, env_extra: dict[str, str]) -> Iterator[int]:
    """uvicorn over create_app on a free port, with these settings in its environment."""
    path = os.pathsep.join(filter(None, [str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, NEWSDESK_DB=url, PYTHONPATH=path, **env_extra)
    with uvicorn_process("web_latency:asgi", env, workers, log=bench.CACHE / "uvicorn.log") as port:
        yield port


def lookups(count: int) -> None:
    """Time lookup + content() of one kept page, memory and Redis alternating."""
    from newsdesk.config import Settings
    from newsdesk.shared import SharedRedis
    from newsdesk.web.page_cache import PageCache
    from newsdesk.web.page_cache_redis import SharedPageCache

    prefix = f"bench-{uuid.uuid4().hex[:10]}:"
    link = SharedRedis(Settings(redis_url=REDIS_URL, redis_prefix=prefix), "page cache")
    caches = {
        "memory": PageCache(30, 128 << 20, stale=300),
        "redis": SharedPageCache(link, 30, 128 << 20, stale=300),
        "redis, every read a round trip": SharedPageCache(
            link, 30, 128 << 20, stale=300, counters_every=0.0
        ),
    }
    key = (b"127.0.0.1", b"/story/1", b"", b"")
    html = (b"<article><p>" + b"A story page, told by several sources, word for word. " * 400)[
        : 22 * 1024
    ]
    times: dict[str, list[float]] = {name: [] for name in caches}
    for cache in caches.values():
        cache.put(key, 200, [(b"content-type", b"text/html; charset=utf-8")], html)
    try:
        for _ in range(count):
            for name, cache in caches.items():
                start = time.perf_counter()
                page, fresh = cache.lookup(key)
                assert page is not None and fresh and len(page.content()) == len(html)
                times[name].append(time.perf_counter() - start)
    finally:
        for found in link.client.scan_iter(match=f"{prefix}*"):
            link.client.delete(found)
        link.close()
    print("| backend | p50 us | p99 us |\n|---|---|---|")
    for name, taken in times.items():
        taken.sort()
        p50, p99 = taken[len(taken) // 2], taken[int(len(taken) * 0.99)]
        print(f"| {name} | {p50 * 1e6:.0f} | {p99 * 1e6:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--only", nargs="*", default=DEFAULT_ONLY, help="endpoint kinds")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1, help="repeat it all; medians at the end")
    parser.add_argument("--lookups", type=int, default=0, help="time N in-process reads instead")
    args = parser.parse_args()
    if args.lookups:
        lookups(args.lookups)
        return
    url = bench.sqlite_store(args.n)
    with Store.open(url) as store, store.transaction(readonly=True) as repo:
        top = [s.id for s in repo.list_stories(limit=1000)]
        stories = [(sid, [a.id for a in repo.story_members(sid)]) for sid in top]
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    lines = [
        "| workers | endpoint | backend | p50 ms | p99 ms | req/s | non-2xx | pages in Redis |",
        "|---|---|---|---|---|---|---|---|",
    ]
    flip = False
    runs: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    try:
        for _round, workers, (kind, name) in itertools.product(
            range(args.rounds), args.workers, bench.ENDPOINTS
        ):
            if kind not in args.only:
                continue
            script = bench.write_script(kind, "readers", stories, args.n)
            backends = ["memory", "redis"]
            for backend in reversed(backends) if flip else backends:
                prefix = f"bench-{uuid.uuid4().hex[:10]}:"
                env = {"NEWSDESK_PAGE_CACHE_BACKEND": backend}
                if backend == "redis":
                    env |= {"NEWSDESK_REDIS_URL": REDIS_URL, "NEWSDESK_REDIS_PREFIX": prefix}
                with serving(url, workers, env) as port:
                    paths = bench.universe(kind, stories)
                    took = bench.prewarm(port, paths)
                    bench.log(f"{backend}: prewarmed {len(paths)} {kind} pages in {took:.0f} s")
                    result = bench.load(port, script, args)
                kept = sum(1 for _ in client.scan_iter(match=f"{prefix}page:*", count=1000))
                for key in client.scan_iter(match=f"{prefix}*", count=1000):
                    client.delete(key)
                held = str(kept) if backend == "redis" else "-"
                line = (
                    f"| {workers} | {name} | {backend} | {result['p50']:.1f}"
                    f" | {result['p99']:.1f} | {result['rps']:.0f}"
                    f" | {result['bad']} {result['errors']} | {held} |"
                )
                bench.log(line)
                lines.append(line)
                runs.setdefault((workers, name, backend), []).append(result)
            flip = not flip
    finally:
        client.close()
    print("\n".join(lines))
    if args.rounds > 1:
        print(f"\nMedians of {args.rounds} rounds:\n")
        print(
            "| workers | endpoint | backend | p50 ms | p99 ms | req/s |\n|---|---|---|---|---|---|"
        )
        for (workers, name, backend), results in runs.items():
            p50, p99, rps = (
                statistics.median(r[k] for r in results) for k in ("p50", "p99", "rps")
            )
            print(f"| {workers} | {name} | {backend} | {p50:.1f} | {p99:.1f} | {rps:.0f} |")


if __name__ == "__main__":
    main()
