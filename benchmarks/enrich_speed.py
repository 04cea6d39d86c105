"""Full enrichment speed: articles/s on the local runner, and how the time splits.

Full enrichment is what ingest does after dedup for each new article: one spaCy pass, the
brief (summary, key points, who's who, quotes, figures, hashtags), one embedding, story
placement and storing it all (SQLite). The two models are then timed alone on the same texts
in the same run (one process each), so "everything else" is the remainder. Usage:

    .venv/bin/python benchmarks/enrich_speed.py [--articles N] [--workers W]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
WORDS = 600


def articles(n: int) -> list[tuple[str, str]]:
    """(title, ~600-word text) from the English fundus gold bodies, then ECB+ stories."""
    out: list[tuple[str, str]] = []
    index = CORPUS / "pages" / "index.jsonl"
    for line in index.read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["source_dataset"] != "flairNLP/fundus" or meta["lang"] != "en":
            continue
        gold = json.loads((CORPUS / "pages" / meta["expected"]).read_text(encoding="utf-8"))
        words = gold["body_text"].split(" ")
        if len(words) >= WORDS:
            out.append((gold["title"], " ".join(words[:WORDS])))
    while len(out) < n:  # repeat with a marker so dedup and stories see distinct articles
        out += [(f"{t} ({len(out)})", x) for t, x in out[: n - len(out)]]
    return out[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from newsdesk.cluster import article_text_for_embedding
    from newsdesk.models import Fingerprint, NewArticle
    from newsdesk.nlp.embedder import default_embedder
    from newsdesk.nlp.spacy_model import load
    from newsdesk.pipeline import LocalRunner, StoryDesk
    from newsdesk.store import Store

    items = articles(args.articles)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        with store.transaction() as repo:
            ids = [
                repo.insert_article(
                    NewArticle(
                        source=f"source {i % 7}",
                        title=title,
                        text=text,
                        fingerprint=Fingerprint(f"h{i}", b"", ()),
                        published=now,
                        lang="en",
                    )
                )
                for i, (title, text) in enumerate(items)
            ]
        runner = LocalRunner(args.workers)
        desk = StoryDesk(store, runner)
        warm = args.workers * 2  # start the workers and load their models: a server does it once
        desk.run(ids[:warm])
        started = time.perf_counter()
        stories, failures = desk.run(ids[warm:])
        total = time.perf_counter() - started
        runner.close()
        store.close()
        items = items[warm:]

    nlp = load("en")
    list(nlp.pipe([x for _, x in items[:4]]))
    started = time.perf_counter()
    for _, text in items:
        nlp(text)
    spacy_s = time.perf_counter() - started
    embedder = default_embedder()
    embedder.embed(["warm up"])
    started = time.perf_counter()
    for title, text in items:
        embedder.embed([article_text_for_embedding(title, text)])
    embed_s = time.perf_counter() - started

    n = len(items)
    one_core = total * args.workers  # CPU-seconds the run used, spread over its workers
    other = max(one_core - spacy_s - embed_s, 0.0)
    print(f"articles: {n} of {WORDS} words, {args.workers} worker processes, {stories} stories")
    print(f"full enrichment: {total:.2f} s wall, {n / total:.1f} articles/s (target >= 12)")
    print("per article, one core:")
    print(f"  spaCy alone      {spacy_s / n * 1000:6.1f} ms  ({spacy_s / one_core:.0%})")
    print(f"  embedder alone   {embed_s / n * 1000:6.1f} ms  ({embed_s / one_core:.0%})")
    print(f"  everything else  {other / n * 1000:6.1f} ms  ({other / one_core:.0%}, target < 20%)")
    print(f"failures: {len(failures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
