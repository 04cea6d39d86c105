"""Serving without the page cache: requests/s, p50 and p99 per page under concurrent clients,
today's code against an earlier commit, in one run (issue 10; not a test).

    .venv/bin/python benchmarks/web_throughput.py [--db URL] [--before COMMIT]
        [--workers 1 2] [--connections 50] [--duration 20] [--warmup 5] [--only front story ...]
        [--pattern readers|uniform]

Both servers read the same store (by default the PostgreSQL database newsdesk_bench_1e5 that
benchmarks/pg_scale.py builds) with the page cache off (NEWSDESK_PAGE_CACHE_SECONDS=0). The
earlier code is checked out with `git worktree add` into a temporary folder and served from
there by the same interpreter and packages (PYTHONPATH=<worktree>/src comes before the editable
install); today's code is the working tree. For each page and each --workers count, each
version gets a fresh uvicorn (`--factory web_throughput:asgi`, one process per worker, access
log off), --warmup seconds of load that are not measured, then --duration seconds that are;
before and now alternate page by page, so that the machine's other load falls on both alike.

The load: --connections clients, each on its own keep-alive HTTP/1.1 connection, each sending
its next request when the previous answer has been read (a closed loop; every request has a
10 s timeout, every run a deadline); `Accept-Encoding: gzip` as browsers and HTTP libraries
send. The client is a small asyncio loop on raw sockets (a fraction of a millisecond of CPU a
request), in this process, sharing the machine's cores with the server and PostgreSQL.

Requests (100,000 drawn, seed 7, the same sequence for both versions, taken by the clients in
turn): with --pattern readers (the default, as in web_latency.py) the story of front-page rank
i among the 1,000 top stories is read with weight 1/i and an article page or API article is a
canonical member of a story drawn the same way; with --pattern uniform, any of those stories and
any of their members. Front pages 1-5; search for a common word ("police", pages 1-3) and a rare
one (the rarest word of the top story's title that finds something); the API lists
/api/v1/stories and /api/v1/articles at offsets 0-80. Prints a markdown table: requests/s, p50
and p99 (ms) of each version, and the ratio of requests/s (now / before); non-200 answers are
counted and shown.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_serve import uvicorn_process
from fastapi import FastAPI

from newsdesk.config import Settings
from newsdesk.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/newsdesk_bench_1e5"
DEFAULT_BEFORE = "427c90d"  # the commit before the serving work of issue 10
COMMON_WORD = "police"
TIMEOUT = 10.0  # seconds one request may take
PAGES = ("front", "story", "article", "search_common", "search_rare", "api_stories")
PAGES += ("api_articles", "api_article")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def asgi() -> FastAPI:
    """uvicorn --factory entry point: the app over NEWSDESK_DB, no polling. Today's code brings
    the store to its newest schema as `serve` does; the earlier code may not know that schema's
    last migrations and reads the store as it is (its upgrade step skipped)."""
    from newsdesk.store import database
    from newsdesk.web.app import create_app

    if os.environ.get("NEWSDESK_BENCH_MIGRATE") == "0":
        database.upgrade = lambda *args, **kwargs: None  # type: ignore[assignment]
    return create_app(Settings.from_env())


# -- what to ask for ------------------------------------------------------------------------------


def urls(db: str, pattern: str = "readers") -> dict[str, list[str]]:
    """Each page kind's requests in the order the clients send them (100,000 drawn, seed 7),
    read from the store with today's code.

    readers: the story of front-page rank i is read with weight 1/i, an article page is a
    member of a story drawn the same way (a news site's readers, as in web_latency.py);
    uniform: any of the 1,000 top stories, any member of them (an archive crawl)."""
    with Store.open(db) as store, store.transaction(readonly=True) as repo:
        top = repo.list_stories(limit=1000)
        members = [[a.id for a in repo.story_members(s.id)] for s in top]
        rare = _rare_word(repo, top[0].title if top else "")
    rng = random.Random(7)
    n = 100_000
    if pattern == "readers":
        ranks = rng.choices(range(len(top)), weights=[1 / (i + 1) for i in range(len(top))], k=n)
        stories = [top[r].id for r in ranks]
        articles = [rng.choice(members[r]) for r in ranks if members[r]]
    else:
        stories = [rng.choice(top).id for _ in range(n)]
        every = [a for ids in members for a in ids]
        articles = [rng.choice(every) for _ in range(n)]
    return {
        "front": [f"/?page={rng.randint(1, 5)}" for _ in range(n)],
        "story": [f"/story/{i}" for i in stories],
        "article": [f"/article/{i}" for i in articles],
        "search_common": [f"/search?q={COMMON_WORD}&page={rng.randint(1, 3)}" for _ in range(n)],
        "search_rare": [f"/search?q={rare}"],
        "api_stories": [f"/api/v1/stories?offset={20 * rng.randint(0, 4)}" for _ in range(n)],
        "api_articles": [f"/api/v1/articles?offset={20 * rng.randint(0, 4)}" for _ in range(n)],
        "api_article": [f"/api/v1/articles/{i}" for i in articles],
    }


def _rare_word(repo: object, title: str) -> str:
    """The word of title found in the fewest articles (at least one)."""
    counts = []
    for word in {w.strip(".,:;!?'\"()").lower() for w in title.split()}:
        if len(word) >= 4 and word.isalpha():
            hits = repo.search(word, limit=200)  # type: ignore[attr-defined]
            if hits:
                counts.append((len(hits), word))
    return min(counts)[1] if counts else "earthquake"


# -- serving --------------------------------------------------------------------------------------


@contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """The source tree of commit, checked out beside the repository and removed after."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-before-"))
    path = folder / "tree"
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(path), commit], check=True)
    try:
        yield path
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(path)], check=False)
        folder.rmdir()


@contextmanager
def serving(src: Path, db: str, workers: int, *, migrate: bool) -> Iterator[int]:
    """uvicorn serving the code under src (a package folder) on a free port."""
    path = os.pathsep.join([str(src), str(ROOT / "benchmarks")])
    env = dict(os.environ, NEWSDESK_DB=db, PYTHONPATH=path, NEWSDESK_PAGE_CACHE_SECONDS="0")
    env["NEWSDESK_BENCH_MIGRATE"] = "1" if migrate else "0"
    with uvicorn_process("web_throughput:asgi", env, workers) as port:
        yield port


# -- load -----------------------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float]  # seconds, requests that completed inside the measured window
    seconds: float
    bad: int  # answers other than 200, and requests that failed

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response; its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in headers.items()}
    if b"content-length" in fields:
        await reader.readexactly(int(fields[b"content-length"]))
    elif fields.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(
    port: int, paths: Iterator[str], start: float, end: float, result: Result
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        loop = asyncio.get_running_loop()
        while (sent := loop.time()) < end:
            path = next(paths)
            request = (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Accept-Encoding: gzip\r\nUser-Agent: web_throughput\r\n\r\n"
            )
            writer.write(request.encode())
            try:
                async with asyncio.timeout(TIMEOUT):
                    status = await _answer(reader)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                result.bad += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            done = loop.time()
            if sent >= start and done <= end:
                if status == 200:
                    result.latencies.append(done - sent)
                else:
                    result.bad += 1
    finally:
        writer.close()


async def _load(port: int, paths: list[str], connections: int, warmup: float, seconds: float):
    loop = asyncio.get_running_loop()
    start = loop.time() + warmup
    end = start + seconds
    result = Result([], seconds, 0)
    sequence = itertools.cycle(paths)  # shared: the clients take the requests in turn
    clients = [_client(port, sequence, start, end, result) for _ in range(connections)]
    async with asyncio.timeout(warmup + seconds + 2 * TIMEOUT):
        await asyncio.gather(*clients)
    return result


def load(port: int, paths: list[str], args: argparse.Namespace) -> Result:
    return asyncio.run(_load(port, paths, args.connections, args.warmup, args.duration))


# -- the run --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("NEWSDESK_BENCH_DB", DEFAULT_DB))
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="the commit to compare with")
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first")
    parser.add_argument("--only", nargs="*", choices=PAGES, help="these pages only")
    parser.add_argument(
        "--pattern",
        choices=["readers", "uniform"],
        default="readers",
        help="readers: story of front-page rank i read with weight 1/i (articles: members of"
        " such stories); uniform: any of the 1,000 top stories, any of their members",
    )
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p in args.only]
    table = urls(args.db, args.pattern)
    log(f"rare word search: {table['search_rare'][0]}")
    lines = [
        "| traffic | workers | page | before req/s | p50 ms | p99 ms | now req/s | p50 ms"
        " | p99 ms | ratio | non-200 before / now |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    with worktree(args.before) as before:
        versions = {"before": before / "src", "now": ROOT / "src"}
        for workers in args.workers:
            for page in pages:
                results = {}
                for name, src in versions.items():
                    with serving(src, args.db, workers, migrate=name == "now") as port:
                        results[name] = load(port, table[page], args)
                    r = results[name]
                    log(
                        f"{workers} {page} {name}: {r.rps:.0f} req/s p50 {r.quantile(0.5):.1f}"
                        f" p99 {r.quantile(0.99):.1f} ms, non-200 {r.bad}"
                    )
                b, n = results["before"], results["now"]
                ratio = n.rps / b.rps if b.rps else float("inf")
                lines.append(
                    f"| {args.pattern} | {workers} | {page} | {b.rps:.0f} | {b.quantile(0.5):.1f}"
                    f" | {b.quantile(0.99):.1f} | {n.rps:.0f} | {n.quantile(0.5):.1f}"
                    f" | {n.quantile(0.99):.1f} | {ratio:.2f} | {b.bad} / {n.bad} |"
                )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
