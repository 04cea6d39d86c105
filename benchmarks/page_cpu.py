"""Story and article pages without the page cache: CPU per request, SQL round trips, template
time and wall latency, today's code against an earlier commit, in one run (issue 10; not a test).

    .venv/bin/python benchmarks/page_cpu.py compare [--db URL] [--before COMMIT] [--count 60]
        [--rounds 3] [--html DIR] [--wall 200]
    .venv/bin/python benchmarks/page_cpu.py measure [--db URL] --kind story --count 60
        [--skip 0] [--html DIR] [--profile FILE]

Both versions read the same store (by default the PostgreSQL database newsdesk_bench_1e4 that
benchmarks/pg_scale.py builds) with the page cache off. The earlier code is a `git worktree`
of --before, imported ahead of the editable install (PYTHONPATH=<worktree>/src), as
web_throughput.py does.

measure: one process, one app (create_app, lifespan run by TestClient), one page kind; count
distinct pages (random stories, canonical articles: the app keeps derived values 15 s per URL,
so a repeated URL would measure that), after 5 unmeasured ones. For each request: the process's
CPU time (every thread: the route runs in a worker thread), the SQL statements sent and the wall
time spent in them, and the CPU time spent rendering templates. CPU time is the figure to
compare on a machine shared with other work: wall time grows with everyone else's load.
--html writes each page's HTML with what changes from moment to moment taken out (the CSRF
token, the words inside <time> elements: "3 hours ago"), to compare two versions byte for byte.

compare: for each round and page kind, a `measure` process of each version in turn (before,
now; a fresh sample of ids each round), then, with --wall N, N single requests per page kind to
a uvicorn of each version, taking turns request by request (p50 and p99 of the wall time).
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/newsdesk_bench_1e4"
KINDS = ("story", "article", "api_article")
WARM = 5  # unmeasured requests first (imports, template compilation, connections)
_CSRF = re.compile(r'(name="csrf_token" value=")[^"]*(")')
_TIME = re.compile(r"(<time [^>]*>)[^<]*(</time>)")
_STATIC = re.compile(r"(/static/[\w-]+\.)[0-9a-f]+(\.\w+)")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def sample(db: str, kind: str, count: int, seed: int) -> list[str]:
    """count distinct paths of this kind: random stories, random canonical articles."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    rng = random.Random(seed)
    engine = create_engine(db, poolclass=NullPool)
    with engine.connect() as conn:
        if kind == "story":
            ids = list(conn.execute(text("SELECT id FROM stories ORDER BY id")).scalars())
        else:
            query = "SELECT id FROM articles WHERE duplicate_of IS NULL ORDER BY id"
            ids = list(conn.execute(text(query)).scalars())
    engine.dispose()
    chosen = rng.sample(ids, min(count, len(ids)))
    prefix = {"story": "/story/", "article": "/article/", "api_article": "/api/v1/articles/"}
    return [f"{prefix[kind]}{i}" for i in chosen]


def normalised(html: str) -> str:
    """The page without what changes from moment to moment: the CSRF token, relative times and
    the static files' fingerprints (a stylesheet edited meanwhile is not the page's content)."""
    return _STATIC.sub(r"\1\2", _TIME.sub(r"\1\2", _CSRF.sub(r"\1\2", html)))


@contextmanager
def _timed_templates(took: list[float]) -> Iterator[None]:
    """Adds the CPU time of every top-level jinja2 render to took[0] (thread CPU time: the
    render runs in the route's worker thread)."""
    import jinja2

    original = jinja2.Template.render
    depth = [0]

    def render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        depth[0] += 1
        start = time.thread_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                took[0] += time.thread_time() - start

    jinja2.Template.render = render  # type: ignore[method-assign]
    try:
        yield
    finally:
        jinja2.Template.render = original  # type: ignore[method-assign]


@contextmanager
def _timed_threads(took: list[float]) -> Iterator[None]:
    """Adds the CPU time of every call sent to a worker thread (anyio.to_thread.run_sync: the
    route's reads and rendering, in_store) to took[0]."""
    import anyio.to_thread

    original = anyio.to_thread.run_sync

    def timed(func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            start = time.thread_time()
            try:
                return func(*args)
            finally:
                took[0] += time.thread_time() - start

        return run

    async def run_sync(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await original(timed(func), *args, **kwargs)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


@contextmanager
def _profiled(path: str | None) -> Iterator[None]:
    """cProfile of the routes' worker threads (anyio.to_thread.run_sync), written to path."""
    if path is None:
        yield
        return
    import cProfile

    import anyio.to_thread

    profiler = cProfile.Profile()
    original = anyio.to_thread.run_sync

    async def run_sync(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await original(lambda *a: profiler.runcall(func, *a), *args, **kwargs)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original
        profiler.dump_stats(path)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """One version, one page kind: per-request CPU, SQL and template figures (see the top)."""
    os.environ["NEWSDESK_DB"] = args.db
    os.environ["NEWSDESK_PAGE_CACHE_SECONDS"] = "0"
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from newsdesk.config import Settings
    from newsdesk.store import database
    from newsdesk.web.app import create_app

    database.upgrade = lambda *a, **k: None  # type: ignore[assignment]  # read the store as it is
    paths = sample(args.db, args.kind, args.count + WARM + args.skip, args.seed)[args.skip :]
    app = create_app(Settings.from_env())
    statements = [0, 0.0]
    started: list[float] = []
    rendering = [0.0]
    threads = [0.0]
    rows: list[dict[str, float]] = []
    html_dir = Path(args.html) if args.html else None
    if html_dir is not None:
        html_dir.mkdir(parents=True, exist_ok=True)

    def before(*_: Any) -> None:
        started.append(time.perf_counter())

    by_statement: dict[str, list[float]] = {}

    def after(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        took = time.perf_counter() - started.pop()
        statements[0] += 1
        statements[1] += took
        by_statement.setdefault(" ".join(statement.split())[:90], []).append(took * 1000)

    with TestClient(app) as client, _timed_templates(rendering), _timed_threads(threads):
        engine = app.state.newsdesk.store.engine
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        client.get("/")  # the ranking, the section bar: what every page shares and keeps
        for path in paths[:WARM]:
            client.get(path)
        with _profiled(args.profile):
            for path in paths[WARM:]:
                statements[:] = [0, 0.0]
                rendering[0] = threads[0] = 0.0
                cpu, wall = time.process_time(), time.perf_counter()
                answer = client.get(path)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if answer.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {answer.status_code}")
                rows.append(
                    {
                        "cpu": cpu * 1000,
                        "wall": wall * 1000,
                        "sql": float(statements[0]),
                        "sql_ms": statements[1] * 1000,
                        "render": rendering[0] * 1000,
                        "route": threads[0] * 1000,
                    }
                )
                if html_dir is not None:
                    name = path.strip("/").replace("/", "_") + ".html"
                    (html_dir / name).write_text(normalised(answer.text))
    if args.statements:
        for said, took in sorted(by_statement.items(), key=lambda kv: -sum(kv[1])):
            log(f"{len(took):4} x {statistics.median(took):6.2f} ms p50  {said}")
    return {"kind": args.kind, "rows": rows}


def summary(rows: list[dict[str, float]]) -> dict[str, float]:
    def median(key: str) -> float:
        return statistics.median(r[key] for r in rows)

    return {key: median(key) for key in ("cpu", "route", "wall", "sql", "sql_ms", "render")}


# -- compare ---------------------------------------------------------------------------------------


def _run_measure(src: Path, args: argparse.Namespace, kind: str, seed: int, html: str | None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), str(ROOT / "benchmarks")]))
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "measure", "--db", args.db,
        "--kind", kind, "--count", str(args.count), "--seed", str(seed),
    ]  # fmt: skip
    if html:
        cmd += ["--html", html]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)["rows"]


def wall(versions: dict[str, Path], db: str, count: int) -> dict[str, dict[str, tuple]]:
    """p50 and p99 (ms) of count single requests per page kind to a uvicorn of each version,
    the versions taking turns request by request."""
    import contextlib

    import httpx
    import numpy as np
    from web_throughput import serving

    found: dict[str, dict[str, tuple]] = {name: {} for name in versions}
    with contextlib.ExitStack() as stack:
        ports = {
            name: stack.enter_context(serving(src, db, 1, migrate=False))
            for name, src in versions.items()
        }
        clients = {
            name: stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60))
            for name, port in ports.items()
        }
        for n, kind in enumerate(KINDS):
            # Ids of their own per kind: the article page and the API article share what the
            # app keeps of an article (15 s), so the same ids would find it kept.
            paths = sample(db, kind, count + WARM, seed=1000 + n)
            took: dict[str, list[float]] = {name: [] for name in versions}
            for client in clients.values():
                for path in paths[:WARM]:
                    client.get(path)
            for path in paths[WARM:]:
                for name, client in clients.items():
                    start = time.perf_counter()
                    answer = client.get(path)
                    took[name].append((time.perf_counter() - start) * 1000)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{name} {path}: HTTP {answer.status_code}")
            for name, values in took.items():
                p50, p99 = np.percentile(values, [50, 99])
                found[name][kind] = (float(p50), float(p99))
                log(f"wall {name:6} {kind:12} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    return found


def compare(args: argparse.Namespace) -> None:
    from web_throughput import worktree

    load = os.getloadavg()
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    with worktree(args.before) as tree:
        versions = {"before": tree / "src", "now": ROOT / "src"}
        for r in range(args.rounds):
            for kind in KINDS:
                for name, src in versions.items():
                    html = None
                    if args.html and r == 0:
                        html = str(Path(args.html) / name)
                    rows = _run_measure(src, args, kind, seed=100 + r, html=html)
                    results.setdefault(name, {}).setdefault(kind, []).extend(rows)
                    s = summary(rows)
                    log(
                        f"round {r} {kind:12} {name:6} cpu {s['cpu']:5.1f} ms (route"
                        f" {s['route']:.1f}), {s['sql']:.0f}"
                        f" SQL {s['sql_ms']:.1f} ms, render {s['render']:.1f} ms,"
                        f" wall {s['wall']:.1f} ms"
                    )
        walls = wall(versions, args.db, args.wall) if args.wall else {}
    load = (*load, *os.getloadavg())
    print(
        "| page | version | CPU ms p50 | route CPU ms p50 | SQL statements | SQL ms p50"
        " | render CPU ms p50 | in-process wall ms p50 | HTTP wall p50 / p99 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        for name in ("before", "now"):
            s = summary(results[name][kind])
            w = walls.get(name, {}).get(kind)
            said = f"{w[0]:.1f} / {w[1]:.1f}" if w else "-"
            print(
                f"| {kind} | {name} | {s['cpu']:.1f} | {s['route']:.1f} | {s['sql']:.0f}"
                f" | {s['sql_ms']:.1f}"
                f" | {s['render']:.1f} | {s['wall']:.1f} | {said} |"
            )
    print(f"\nload average at start 1/5/15 min: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f};"
          f" at end: {load[3]:.1f} {load[4]:.1f} {load[5]:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--db", default=DEFAULT_DB)
    m.add_argument("--kind", choices=KINDS, required=True)
    m.add_argument("--count", type=int, default=60)
    m.add_argument("--skip", type=int, default=0, help=argparse.SUPPRESS)
    m.add_argument("--seed", type=int, default=100)
    m.add_argument("--html", help="write each page's normalised HTML here")
    m.add_argument("--profile", help="write a cProfile of the route threads here")
    m.add_argument("--statements", action="store_true", help="log the SQL time by statement")
    c = sub.add_parser("compare")
    c.add_argument("--db", default=DEFAULT_DB)
    c.add_argument("--before", required=True, help="the commit to compare with")
    c.add_argument("--count", type=int, default=60)
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--html", help="write both versions' pages of round 0 under DIR/before, /now")
    c.add_argument("--wall", type=int, default=0, help="single HTTP requests per page kind")
    args = parser.parse_args()
    if args.command == "measure":
        result = measure(args)
        s = summary(result["rows"])
        log(
            f"{args.kind}: cpu {s['cpu']:.1f} ms (route {s['route']:.1f}), {s['sql']:.0f} SQL"
            f" {s['sql_ms']:.1f} ms, render {s['render']:.1f} ms, wall {s['wall']:.1f} ms"
            f" (p50 of {args.count})"
        )
        print(json.dumps(result))
    else:
        compare(args)


if __name__ == "__main__":
    main()
