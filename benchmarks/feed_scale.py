"""Items per second through `newsdesk ingest FEED` for feeds of 10^2, 10^3 and 10^4 items.

Each feed is an RSS 2.0 file written here: realistic items (a title and a teaser of a few
sentences taken from the corpus's news articles, a different window of sentences for every
item so near-duplicate detection does not fold them) or near-empty ones ("Item 1", "Item 2",
... with no text at all). The command runs as a user runs it (a fresh process, a fresh SQLite
store, full enrichment unless --no-enrich); its wall time includes start-up. The baseline is
feedparser alone parsing the same bytes in this process: the library newsdesk builds on.
After each run the store is read for the story count and the largest story, so a template of
titles that clusters everything shows. Usage:

    .venv/bin/python benchmarks/feed_scale.py [--sizes 100 1000 10000] [--variants real empty]
        [--no-enrich] [--profile DIR]

--profile DIR runs each ingest under cProfile and leaves a .pstats file per run there.
--src DIR runs another checkout's code (its src/ folder first on the path): the baseline of
code before a change, e.g. `git archive COMMIT src | tar -x -C /tmp/before` and
--src /tmp/before/src.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
NEWSDESK = Path(sys.executable).with_name("newsdesk")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
TEASER_SENTENCES = 3
START = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)


def corpus_articles() -> list[tuple[str, list[str]]]:
    """(title, sentences) of the corpus's English news: ECB+ stories, then CNN/DM."""
    found: list[tuple[str, list[str]]] = []
    stories = CORPUS / "stories" / "ecbplus_articles.jsonl"
    for line in stories.open(encoding="utf-8"):
        row = json.loads(line)
        found.append((row["title"], _sentences(row["text"])))
    cnndm = CORPUS / "nlp" / "summaries" / "cnndm_validation_1000.jsonl"
    for line in cnndm.open(encoding="utf-8"):
        row = json.loads(line)
        found.append((row["highlights"][0], _sentences(row["article"])))
    return [(t, s) for t, s in found if len(s) >= TEASER_SENTENCES]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def real_items(n: int, articles: list[tuple[str, list[str]]]) -> Iterator[tuple[str, str]]:
    """n (title, teaser) pairs: article k, then the next window of its sentences, and so on."""
    made = 0
    window = 0
    while made < n:
        progressed = False
        for title, sentences in articles:
            start = window * TEASER_SENTENCES
            if start + TEASER_SENTENCES > len(sentences):
                continue
            progressed = True
            teaser = " ".join(sentences[start : start + TEASER_SENTENCES])
            yield (title if window == 0 else f"{title} ({window + 1})"), teaser
            made += 1
            if made >= n:
                return
        if not progressed:
            raise SystemExit(f"the corpus gives fewer than {n} distinct items")
        window += 1


def feed_bytes(n: int, variant: str, articles: list[tuple[str, list[str]]]) -> bytes:
    items: list[str] = []
    pairs = real_items(n, articles) if variant == "real" else ((f"Item {i}", "") for i in range(n))
    for i, (title, teaser) in enumerate(pairs):
        when = format_datetime(START + timedelta(minutes=i))
        body = f"<description>{escape(teaser)}</description>" if teaser else ""
        items.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://scale.example.org/{variant}/{i}</link>"
            f"<guid>https://scale.example.org/{variant}/{i}</guid>"
            f"<pubDate>{when}</pubDate>{body}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Scale Wire</title><link>https://scale.example.org/</link>"
        "<description>benchmark feed</description>" + "\n".join(items) + "</channel></rss>"
    ).encode()


def feedparser_seconds(data: bytes) -> float:
    started = time.perf_counter()
    parsed = feedparser.parse(data, response_headers={"content-type": "application/rss+xml"})
    elapsed = time.perf_counter() - started
    assert parsed.entries, "the generated feed must parse"
    return elapsed


def ingest_seconds(
    feed: Path, db: Path, enrich: bool, profile: Path | None, src: Path | None
) -> tuple[float, str]:
    env = dict(os.environ, NEWSDESK_ENRICH="true" if enrich else "false")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [str(NEWSDESK), "--db", str(db), "ingest", str(feed)]
    if profile is not None:
        profiler = [sys.executable, "-m", "cProfile", "-o", str(profile)]
        command = [*profiler, str(NEWSDESK), *command[1:]]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ingest failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def store_figures(db: Path) -> tuple[int, int, int]:
    """(articles, stories, articles in the largest story) as the store holds them."""
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        sizes = [
            row[0] for row in conn.execute("SELECT count(*) FROM story_articles GROUP BY story_id")
        ]
    return articles, len(sizes), max(sizes, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--variants", nargs="+", default=["real", "empty"])
    parser.add_argument("--no-enrich", action="store_true", help="store only: no briefs, stories")
    parser.add_argument("--profile", type=Path, help="leave a cProfile .pstats per run here")
    parser.add_argument("--src", type=Path, help="run the newsdesk code in this src/ folder")
    args = parser.parse_args()
    articles = corpus_articles()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    code = args.src or "this checkout"
    print(f"code: {code}; enrich: {not args.no_enrich}; load average at start: {load:.2f}")
    print(
        "| items | variant | newsdesk ingest s | items/s | feedparser s | ratio | "
        "articles | stories | largest story |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        for variant in args.variants:
            with tempfile.TemporaryDirectory() as tmp:
                feed = Path(tmp) / f"{variant}-{n}.xml"
                feed.write_bytes(feed_bytes(n, variant, articles))
                base = feedparser_seconds(feed.read_bytes())
                profile = args.profile / f"{variant}-{n}.pstats" if args.profile else None
                db = Path(tmp) / "scale.db"
                seconds, _ = ingest_seconds(feed, db, not args.no_enrich, profile, args.src)
                stored, stories, largest = store_figures(db)
            print(
                f"| {n:,} | {variant} | {seconds:.1f} | {n / seconds:.1f} | {base:.2f} | "
                f"{seconds / base:.0f} | {stored:,} | {stories:,} | {largest:,} |",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
