"""Sections, measured: the story section classifier on labelled news.

The labelled set is tests/enrich/sections_evalset.py.

Run: .venv/bin/python benchmarks/sections_quality.py [--fit]
--fit embeds the section descriptions (newsdesk.enrich.sections.SECTION_DESCRIPTIONS), chooses
the floor under which a story is World on the development split, and writes
src/newsdesk/nlp/data/sections.json. Without it, the shipped file is measured. Reported on the
test split: accuracy, per-section precision and recall, beside "always the largest section of
development" and a keyword rule; and the time to classify one stored vector. Prints Markdown.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "enrich"))

from sections_evalset import Labelled, load  # noqa: E402

from newsdesk.cluster.text import article_text_for_embedding  # noqa: E402
from newsdesk.enrich import sections  # noqa: E402
from newsdesk.nlp.embedder import default_embedder  # noqa: E402
from newsdesk.section_names import DEFAULT, SECTIONS  # noqa: E402

FLOORS = [round(0.0 + 0.02 * i, 2) for i in range(16)]  # 0.00 .. 0.30
KEYWORDS = {  # the keyword rule: the section whose words the title and lead use most
    "Politics": "election president government minister parliament congress senate vote party",
    "Business": "company shares market economy bank profit deal billion prices investors",
    "Technology": "software internet apple google microsoft computer app phone chip tech",
    "Science": "scientists study researchers space nasa planet climate species research",
    "Health": "health hospital patients doctors disease cancer virus medical vaccine",
    "Sports": "game team season coach league match player win championship cup",
    "Entertainment": "film movie actor actress music singer show star album tv",
}


def keyword_rule(text: str) -> str:
    words = Counter(re.findall(r"[a-z]+", text.casefold()))
    scores = {s: sum(words[w] for w in ws.split()) for s, ws in KEYWORDS.items()}
    best = max(scores, key=lambda s: scores[s])
    return best if scores[best] > 0 else DEFAULT


def predict(
    vectors: np.ndarray, matrix: np.ndarray, names: Sequence[str], floor: float
) -> list[str]:
    scores = vectors @ matrix.T
    best = scores.argmax(axis=1)
    return [names[b] if scores[i, b] >= floor else DEFAULT for i, b in enumerate(best)]


def accuracy(gold: Sequence[str], got: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, got, strict=True)) / max(len(gold), 1)


def per_section(gold: Sequence[str], got: Sequence[str]) -> list[str]:
    lines = ["| section | test items | precision | recall |", "| --- | --- | --- | --- |"]
    for s in SECTIONS:
        tp = sum(g == s and p == s for g, p in zip(gold, got, strict=True))
        n_got, n_gold = got.count(s), gold.count(s)
        prec = f"{tp / n_got:.2f}" if n_got else "-"
        rec = f"{tp / n_gold:.2f}" if n_gold else "-"
        lines.append(f"| {s} | {n_gold} | {prec} | {rec} |")
    return lines


def section_matrix() -> tuple[list[str], np.ndarray]:
    embedder = default_embedder()
    names, rows = [], []
    for name in SECTIONS:
        vectors = embedder.embed(list(sections.SECTION_DESCRIPTIONS[name]))
        mean = vectors.mean(axis=0)
        names.append(name)
        rows.append(mean / np.linalg.norm(mean))
    return names, np.vstack(rows).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fit", action="store_true", help="rebuild sections.json on dev")
    args = parser.parse_args()
    rows = load()
    dev = [r for r in rows if r.split == "dev"]
    test = [r for r in rows if r.split == "test"]
    started = time.perf_counter()
    embedder = default_embedder()

    def embed(items: Sequence[Labelled]) -> np.ndarray:
        return embedder.embed([article_text_for_embedding(r.title, r.text) for r in items])

    dev_v, test_v = embed(dev), embed(test)
    embed_s = time.perf_counter() - started
    if args.fit:
        names, matrix = section_matrix()
        dev_gold = [r.section for r in dev]
        by_floor = {f: accuracy(dev_gold, predict(dev_v, matrix, names, f)) for f in FLOORS}
        floor = max(FLOORS, key=lambda f: (by_floor[f], -f))
        print("Dev accuracy by floor: " + ", ".join(f"{f}: {a:.3f}" for f, a in by_floor.items()))
        model = {
            "about": "section vectors: the mean MiniLM vector of each section's descriptions "
            "(benchmarks/sections_quality.py --fit); floor chosen on development",
            "sections": names,
            "floor": floor,
            "vectors": [[round(float(x), 5) for x in row] for row in matrix],
        }
        sections.MODEL.write_text(json.dumps(model) + "\n", encoding="utf-8")
        sections._model.cache_clear()
    names_t, matrix, floor = sections._model()
    gold = [r.section for r in test]
    got = predict(test_v, matrix, names_t, floor)
    largest = Counter(r.section for r in dev).most_common(1)[0][0]
    keyword = [keyword_rule(f"{r.title} {r.text[:600]}") for r in test]
    started = time.perf_counter()
    for v in test_v:
        sections.section_of(v)
    per_story_ms = 1000 * (time.perf_counter() - started) / len(test_v)
    print(
        f"Labelled: {len(dev)} development, {len(test)} test articles "
        f"({dict(Counter(r.how for r in test))} in test); floor {floor}; "
        f"embedding both splits {embed_s:.0f} s\n"
    )
    print("| method (test) | accuracy |\n| --- | --- |")
    print(
        f"| always {largest} (largest section of development) | "
        f"{accuracy(gold, [largest] * len(gold)):.3f} |"
    )
    print(f"| keyword rule | {accuracy(gold, keyword):.3f} |")
    print(f"| section descriptions, nearest (shipped) | {accuracy(gold, got):.3f} |")
    for how in ("ecb-topic", "cnn-hand", "publisher"):
        idx = [i for i, r in enumerate(test) if r.how == how]
        print(
            f"| ... {how} only ({len(idx)}) | "
            f"{accuracy([gold[i] for i in idx], [got[i] for i in idx]):.3f} |"
        )
    print()
    print("\n".join(per_section(gold, got)))
    print("\nMost frequent errors (gold -> got, test items):")
    errors = Counter((g, p) for g, p in zip(gold, got, strict=True) if g != p)
    for (g, p), n in errors.most_common(8):
        titles = [
            r.title or r.text[:60]
            for r, q in zip(test, got, strict=True)
            if (r.section, q) == (g, p)
        ]
        print(f"- {g} -> {p}: {n} ({'; '.join(t[:60] for t in titles[:3])})")
    print(f"\nClassifying a stored vector: {per_story_ms:.4f} ms a story")


if __name__ == "__main__":
    main()
