"""Articles per second for extract + dedup + store, against bare trafilatura on the same pages.

Both run in this one process, one after the other, over the same decoded pages, so the ratio
is what newsdesk adds to trafilatura's own time. Usage:

    .venv/bin/python benchmarks/ingest_throughput.py [--pages N] [--rounds R]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from newsdesk.errors import NewsdeskError
from newsdesk.pipeline import Ingestor, LocalRunner, PageJob, Preparer

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))


def load_pages(limit: int) -> list[tuple[str, bytes]]:
    index = CORPUS / "pages" / "index.jsonl"
    pages: list[tuple[str, bytes]] = []
    if index.exists():
        for line in index.open(encoding="utf-8"):
            meta = json.loads(line)
            pages.append(
                (meta["url"], gzip.decompress((CORPUS / "pages" / meta["html"]).read_bytes()))
            )
    else:  # fall back to the sample pages shipped in the repo
        for path in sorted((ROOT / "data" / "sample" / "pages").glob("*.html.gz")):
            pages.append(
                (f"https://sample.invalid/{path.stem}", gzip.decompress(path.read_bytes()))
            )
    return pages[:limit] if limit else pages


def bare_trafilatura(pages: list[tuple[str, bytes]]) -> tuple[float, int]:
    started = time.perf_counter()
    ok = 0
    for url, html in pages:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        ok += doc is not None
    return time.perf_counter() - started, ok


def newsdesk_ingest(pages: list[tuple[str, bytes]]) -> tuple[float, int, dict[str, int]]:
    from newsdesk.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        ingestor = Ingestor(store, Preparer(), LocalRunner(workers=1))
        now = datetime.now(UTC)
        jobs = [PageJob(content=html, url=url, seen_at=now) for url, html in pages]
        started = time.perf_counter()
        report = ingestor.run(jobs, size=len(jobs))
        elapsed = time.perf_counter() - started
        store.close()
    stored = report.counts["new"] + report.counts["duplicate"] + report.counts["near-duplicate"]
    return elapsed, stored, dict(report.counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="limit the number of pages (0: all)")
    parser.add_argument("--rounds", type=int, default=2, help="best of this many rounds")
    args = parser.parse_args()
    pages = load_pages(args.pages)
    try:
        newsdesk_ingest(pages[:5])  # warm-up: imports, language model, migrations
    except NewsdeskError as exc:
        print(f"warm-up failed: {exc}", file=sys.stderr)
        return 1
    bare_trafilatura(pages[:5])
    bare_best = nd_best = float("inf")
    bare_ok = nd_ok = 0
    counts: dict[str, int] = {}
    for _ in range(args.rounds):
        t, bare_ok = bare_trafilatura(pages)
        bare_best = min(bare_best, t)
        t, nd_ok, counts = newsdesk_ingest(pages)
        nd_best = min(nd_best, t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(pages)
    print(f"pages: {n} (one process, best of {args.rounds} rounds)")
    print("| run | seconds | articles/s | ok |")
    print("| --- | ---: | ---: | ---: |")
    for name, secs, ok in (
        ("bare trafilatura (bare_extraction)", bare_best, bare_ok),
        ("newsdesk extract+dedup+store (SQLite)", nd_best, nd_ok),
    ):
        print(f"| {name} | {secs:.2f} | {n / secs:.1f} | {ok} |")
    print(f"ratio newsdesk/trafilatura time: {nd_best / bare_best:.3f} (target <= 1.30)")
    print(f"peak RSS: {peak_mb:.0f} MB; outcomes: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
