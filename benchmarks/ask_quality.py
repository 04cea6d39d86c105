"""Found/not-found accuracy of newsdesk.enrich.ask on questions written against ECB+ coverage.

Run: .venv/bin/python benchmarks/ask_quality.py   (NEWSDESK_CORPUS overrides the corpus path)
Prints, per support threshold, dev accuracy (found/not-found right, and for answerable ones the
best line holding the expected word); then the chosen ask.MIN_SUPPORT's scores on the test split.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "enrich"))

from ask_questions import DEV, DEV_TOPICS, TEST, TEST_TOPICS  # noqa: E402

from newsdesk.enrich import ask as ask_module  # noqa: E402
from newsdesk.enrich.ask import Passage, ask  # noqa: E402

CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))


def coverage(topics: tuple[str, ...]) -> list[Passage]:
    """Every sentence of every article of the topics (both events: hard negatives included)."""
    passages = []
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            row = json.loads(line)
            if row["topic_id"] not in topics:
                continue
            for i, text in enumerate(t for t in row["text"].split("\n") if t.strip()):
                passages.append(Passage(number, i, text, row["source"] or "ecb", None))
    return passages


def score(
    questions: tuple[tuple[str, str | None], ...], passages: list[Passage]
) -> tuple[float, float]:
    """(found/not-found accuracy, share of answerable questions with the word in a line)."""
    right = hit = answerable = 0
    for question, word in questions:
        answer = ask(question, passages)
        right += answer.found == (word is not None)
        if word is not None:
            answerable += 1
            hit += answer.found and any(word.lower() in x.text.lower() for x in answer.lines)
    return right / len(questions), hit / max(answerable, 1)


def main() -> None:
    dev, test = coverage(DEV_TOPICS), coverage(TEST_TOPICS)
    print(
        f"dev: {len(DEV)} questions over {len(dev)} sentences; test: {len(TEST)} over {len(test)}"
    )
    print("| min support | dev found/not-found accuracy | dev answer line right |\n|---|---|---|")
    chosen = ask_module.MIN_SUPPORT
    for threshold in (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9):
        ask_module.MIN_SUPPORT = threshold
        accuracy, hits = score(DEV, dev)
        print(f"| {threshold:.2f} | {accuracy:.2f} | {hits:.2f} |")
    ask_module.MIN_SUPPORT = chosen
    start = time.perf_counter()
    accuracy, hits = score(TEST, test)
    per_question = (time.perf_counter() - start) / len(TEST) * 1000
    print(
        f"chosen {chosen:.2f}: test accuracy {accuracy:.2f}, test answer line right {hits:.2f}, "
        f"{per_question:.1f} ms per question over {len(test)} sentences"
    )


if __name__ == "__main__":
    main()
