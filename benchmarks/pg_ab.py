"""Single requests to an earlier commit and to today's code over one PostgreSQL store, taking
turns (issue 10; not a test).

    .venv/bin/python benchmarks/pg_ab.py --before COMMIT [--articles 1000000] [--url URL]
        [--kinds api_stories story ...] [--requests 200] [--rounds 2]

A change's effect on single requests, where two `pg_scale.py latency` runs an hour apart would
measure the machine as much as the change. The earlier commit is checked out with `git worktree
add` (web_throughput.worktree) and served by the same interpreter and packages with its upgrade
step skipped (it reads the store as it is; web_throughput.asgi); today's code is the working
tree. One uvicorn each over the store that `pg_scale.py build` made, page cache off, the vector
index from its file; both ask the same paths (pg_scale.sample_paths: the same random stories,
articles and words as `latency`), one request each in turn, the one that goes first alternating
from request to request so that neither always finds the other's pages in PostgreSQL's cache.
With --rounds R the whole run is repeated (a first round reads a cold cache for both), each round
after the app's kept values of the one before have expired. Prints a markdown table: p50, p99
and the slowest (ms) of each version per page kind and round.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

import httpx
import numpy as np
from bench_serve import uvicorn_process, vector_index_file
from pg_scale import NAMES, ROOT, log, sample_paths, take_turns, vector_file, vector_index_ready
from web_throughput import worktree

from newsdesk.web.ranking import TTL_SECONDS


def measure(url: str, before: str, kinds: list[str], count: int, rounds: int) -> list[str]:
    """The table's rows: (round, kind, p50/p99/max of before, of now)."""
    paths = sample_paths(url, count)
    vector_index_file(url, vector_file(url))
    rows = []
    with worktree(before) as tree, contextlib.ExitStack() as stack:
        clients: dict[str, httpx.Client] = {}
        for name, src in (("before", tree / "src"), ("now", ROOT / "src")):
            env = dict(
                os.environ,
                NEWSDESK_DB=url,
                NEWSDESK_PAGE_CACHE_SECONDS="0",
                NEWSDESK_VECTOR_INDEX=str(vector_file(url)),
                NEWSDESK_BENCH_MIGRATE="1" if name == "now" else "0",
                PYTHONPATH=os.pathsep.join([str(src), str(ROOT / "benchmarks")]),
            )
            port = stack.enter_context(uvicorn_process("web_throughput:asgi", env, start_s=120))
            base = f"http://127.0.0.1:{port}"
            clients[name] = stack.enter_context(httpx.Client(base_url=base, timeout=60))
        for name, client in clients.items():
            vector_index_ready(name, client, paths["search_common"][0])
        for r in range(1, rounds + 1):
            if r > 1:  # the same paths again: not the values the app kept from the last round
                time.sleep(TTL_SECONDS + 1)
            for kind in kinds:
                took = take_turns(clients, {name: paths[kind] for name in clients}, rotate=True)
                cells = []
                for name, values in took.items():
                    p50, p99 = np.percentile(values, [50, 99])
                    cells.append(f"{p50:.1f} / {p99:.1f} / {max(values):.1f}")
                    log(f"round {r} {kind:14} {name:6} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
                rows.append(f"| {r} | {kind} | {cells[0]} | {cells[1]} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the commit to compare with")
    parser.add_argument("--articles", type=int, default=1_000_000, choices=sorted(NAMES))
    parser.add_argument("--url", help="default: the store pg_scale.py builds for --articles")
    kinds = ["front", "story", "article", "search_common", "search_rare", "api_stories",
             "api_articles", "api_article"]  # fmt: skip
    parser.add_argument("--kinds", nargs="+", choices=kinds, default=kinds)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    url = args.url or f"postgresql://postgres@127.0.0.1:5432/{NAMES[args.articles]}"
    rows = measure(url, args.before, args.kinds, args.requests, args.rounds)
    print(f"| round | page | {args.before} p50 / p99 / max ms | now p50 / p99 / max ms |")
    print("| ---: | --- | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
