"""Quotes and speakers on PolNeAR: direct-quote precision and speaker accuracy over all quotes.

Rules were chosen on a subset of polnear_train; polnear_dev is reported once. Beside each figure
is the baseline "nearest person name": the PERSON mention closest in characters to each gold
quote (given the gold quote span, so it needs no quote finding). Scoring is described in
tests/enrich/quote_scoring.py and docs/brief_quality.md.

    .venv/bin/python benchmarks/brief_quotes.py [--train 300] [--cache DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import quote_scoring as qs  # noqa: E402

from newsdesk.enrich.entities import mentions  # noqa: E402
from newsdesk.enrich.quotes import quote_spans  # noqa: E402


def train_subset(n: int) -> list[str]:
    """n train articles evenly spaced over the sorted names, so every outlet is in (a plain
    every-k-th slice cut at n kept only the first five outlets of seven)."""
    names = qs.names("train")
    n = min(n, len(names))
    return [names[i * len(names) // n] for i in range(n)]


def row(label: str, cases: list[qs.Case]) -> str:
    s, pairs = qs.score(cases)
    found = sum(hit is not None for _, _, hit in pairs)
    right_found = s.right / found if found else 0.0
    return (
        f"| {label} | {len(cases)} | {s.gold} | {s.predicted} | {s.precision:.1%} "
        f"| {found / s.gold:.1%} | {right_found:.1%} | **{s.speaker_accuracy:.1%}** "
        f"| {s.baseline_accuracy:.1%} |"
    )


def per_article_ms(cases: list[qs.Case]) -> float:
    """quote_spans() alone: the mentions are computed once per article for the whole brief."""
    found = [mentions(case.analysis) for case in cases]
    started = time.perf_counter()
    for case, names in zip(cases, found, strict=True):
        quote_spans(case.analysis, names)
    return 1000 * (time.perf_counter() - started) / max(1, len(cases))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=300, help="train articles (rule choice)")
    parser.add_argument("--cache", type=Path, help="keep parsed articles here between runs")
    args = parser.parse_args()
    if not qs.available():
        print("## Quotes and speakers\n\n(PolNeAR is not in the corpus: skipped)\n")
        return 0
    train = qs.load(
        "train", train_subset(args.train), args.cache / "train.pkl" if args.cache else None
    )
    dev = qs.load("dev", qs.names("dev"), args.cache / "dev.pkl" if args.cache else None)
    print("## Quotes and speakers\n")
    print(
        "| split | articles | gold direct quotes | predicted | precision | quotes found "
        "| speaker right (found) | speaker right (all gold) | baseline: nearest person |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(row(f"polnear_train subset (rules chosen here, {args.train})", train))
    print(row("polnear_dev (reported)", dev))
    print(f"\nquotes and speakers: {per_article_ms(dev):.1f} ms per dev article.\n")
    print("Command: `.venv/bin/python benchmarks/brief_quotes.py`\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
