"""Online story clustering quality of newsdesk.cluster on ECB+ (86 events in 43 topics).

Run: .venv/bin/python benchmarks/cluster_quality.py   (NEWSDESK_CORPUS overrides the corpus path)
Embeds every article (title + lead, real MiniLM) and takes its entities from spaCy NER, clusters
online in arrival order (dated by date, then undated by id), sweeps threshold, entity weight,
window and undated margin on the dev topics (1-35), picks the best dev B-cubed F1 (ties to the
earlier grid row), and reports it on the test topics (36-45) with the hard-negative rate
(same-topic, different-event pairs put in one story); the other settings keep their defaults.
benchmarks/brief_stories.py sweeps the full set of settings and chose the defaults. Prints
markdown.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "cluster"))

from cluster_evalset import Doc, Result, corpus_available, featurize, load_rows, score, split_of  # noqa: E402

from newsdesk.cluster import StoryIndex  # noqa: E402
from newsdesk.nlp.embedder import default_embedder  # noqa: E402

THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7)
ENTITY_WEIGHTS = (0.0, 0.4, 0.6, 0.8, 1.0)
WINDOWS = (3.0, 7.0, 14.0)
UNDATED_MARGINS = (0.05, 0.1, 0.15, 0.2)
HEADER = "| split | params | B3 precision | B3 recall | B3 F1 | hard-neg rate | stories | merges |"


def row(split: str, params: str, r: Result) -> str:
    return (
        f"| {split} | {params} | {r.precision:.4f} | {r.recall:.4f} | {r.f1:.4f} "
        f"| {r.hard_negative_rate:.4f} | {r.stories} | {r.merges} |"
    )


def sweep(dev: list[Doc]) -> list[tuple[Result, dict[str, float]]]:
    out = []
    for th, ew, win, um in itertools.product(THRESHOLDS, ENTITY_WEIGHTS, WINDOWS, UNDATED_MARGINS):
        params = {"threshold": th, "entity_weight": ew, "window_days": win, "undated_margin": um}
        out.append((score(dev, StoryIndex(**params)), params))  # type: ignore[arg-type]
    return out


def label(p: dict[str, float]) -> str:
    return (
        f"th {p['threshold']}, ew {p['entity_weight']}, win {p['window_days']:g}, "
        f"undated {p['undated_margin']}"
    )


def main() -> None:
    corpus = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not corpus_available(corpus):
        sys.exit(f"cluster_quality: no corpus at {corpus} (set NEWSDESK_CORPUS)")
    start = time.perf_counter()
    docs = featurize(load_rows(corpus), default_embedder())
    took = time.perf_counter() - start
    dev = [d for d in docs if split_of(d.topic) == "dev"]
    test = [d for d in docs if split_of(d.topic) == "test"]
    print(
        f"{len(docs)} articles featurized in {took:.1f} s ({1000 * took / len(docs):.0f} ms each)"
    )
    print(f"dev {len(dev)} articles, test {len(test)}, undated {sum(d.when is None for d in docs)}")
    results = sweep(dev)
    best, chosen = max(results, key=lambda x: x[0].f1)  # max keeps the first of equal rows
    cosine, cos_params = max(
        (x for x in results if x[1]["entity_weight"] == 0), key=lambda x: x[0].f1
    )
    print("\n## Top dev rows\n")
    print(HEADER + "\n|" + "---|" * 8)
    for r, p in sorted(results, key=lambda x: -x[0].f1)[:8]:
        print(row("dev", label(p), r))
    print("\n## Chosen on dev, reported on test\n")
    print(HEADER + "\n|" + "---|" * 8)
    print(row("dev", label(chosen), best))
    print(row("test", label(chosen), score(test, StoryIndex(**chosen))))  # type: ignore[arg-type]
    print(row("test", "defaults", score(test, StoryIndex())))
    print(row("dev", "cosine only: " + label(cos_params), cosine))
    print(row("test", "cosine only: " + label(cos_params), score(test, StoryIndex(**cos_params))))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
