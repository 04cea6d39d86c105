"""Hashtags a reader would follow (issue 8, point 4).

Run: .venv/bin/python benchmarks/brief_hashtags.py   (NEWSDESK_CORPUS overrides the corpus path)
     .venv/bin/python benchmarks/brief_hashtags.py --sample STORE.db   (draws the 100 tags to judge)

Prints a Markdown section: the share of 100 random tags of the demo store a reader would follow,
judged by hand (docs/brief_quality/hashtag_judgements.jsonl, and the same for the tags before
this change), the hand-label precision on the dev and test splits of tests/enrich/labels.jsonl,
tags per article, and the cost of topic matching per article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from enrich_scoring import labelled_text, load_labels, score_labels  # noqa: E402

import newsdesk.enrich.hashtags as tags_module  # noqa: E402
from newsdesk.enrich import analyze  # noqa: E402
from newsdesk.enrich.entities import mentions  # noqa: E402
from newsdesk.enrich.who import who_entries  # noqa: E402
from newsdesk.models import Brief  # noqa: E402

JUDGED = ROOT / "docs" / "brief_quality" / "hashtag_judgements.jsonl"
JUDGED_BEFORE = ROOT / "docs" / "brief_quality" / "hashtag_judgements_before.jsonl"
SAMPLE, SEED = 100, 0
NAME_TYPES = ("PERSON", "ORG", "PLACE", "EVENT")


def sample(db: str) -> list[dict[str, object]]:
    """100 (article, tag) pairs of a store, drawn with random.Random(0) from a fixed order."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT t.article_id, t.tag, a.title FROM article_tags t "
            "JOIN articles a ON a.id = t.article_id ORDER BY t.article_id, t.tag"
        ).fetchall()
    picked = random.Random(SEED).sample(rows, SAMPLE)
    return [{"tag": t, "article_id": a, "title": title} for a, t, title in picked]


def article_tags(title: str | None, text: str) -> tuple[str, ...]:
    analysis = analyze(text, title=title, lang="en")
    found = mentions(analysis)
    counts = Counter(m.canonical for m in found if m.type in NAME_TYPES)
    who = who_entries(analysis, found)
    if hasattr(tags_module, "keyphrases"):  # the YAKE tags, for the figures before the change
        return tags_module.hashtags(who, tags_module.keyphrases(title, text), counts)  # type: ignore[call-arg, arg-type]
    return tags_module.hashtags(who, title, analysis.text, counts)


def judged(path: Path) -> tuple[int, int]:
    if not path.exists():
        return 0, 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return sum(bool(r["follow"]) for r in rows), len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", metavar="DB", help="print the 100 tags of a store to judge")
    args = parser.parse_args()
    if args.sample:
        for row in sample(args.sample):
            print(json.dumps(row, ensure_ascii=False))
        return 0

    print("## Hashtags\n")
    print("Command: `.venv/bin/python benchmarks/brief_hashtags.py`\n")
    print("### 100 random tags of the demo store, judged by hand\n")
    print("| tags | judged | a reader would follow |\n|---|---|---|")
    for name, path in (("before (entities + YAKE)", JUDGED_BEFORE), ("now", JUDGED)):
        yes, n = judged(path)
        share = f"{100 * yes / n:.0f}%" if n else "-"
        print(f"| {name} | {n} | {yes} ({share}) |")

    rows = load_labels()
    print("\n### Hand labels (tests/enrich/labels.jsonl): share of tags the labeller listed\n")
    print("| split | articles | tags | per article | 3-8 tags | precision |")
    print("|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        pairs = []
        for row in (r for r in rows if r["split"] == split):
            title, text = labelled_text(row)
            pairs.append((row, Brief(lang="en", hashtags=article_tags(title or None, text))))
        s = score_labels(pairs)
        counts = [len(b.hashtags) for _, b in pairs]
        in_range = sum(3 <= c <= 8 for c in counts)
        print(
            f"| {split} | {len(pairs)} | {s.hashtag_total} | {s.hashtag_total / len(pairs):.1f} "
            f"| {in_range}/{len(pairs)} | {s.hashtag_precision:.3f} |"
        )

    if not hasattr(tags_module, "keyphrases"):
        from newsdesk.enrich.topics import TOPICS, topic_hits

        texts = [t for _, t in (labelled_text(r) for r in rows)]
        topic_hits("")
        started = time.perf_counter()
        for text in texts:
            topic_hits(text)
        per = 1000 * (time.perf_counter() - started) / len(texts)
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"\nTopic vocabulary: {len(TOPICS)} topics, "
              f"{sum(len(v) for v in TOPICS.values())} triggers; matching costs {per:.2f} ms "
              f"per article ({words:.0f} words on average).")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
