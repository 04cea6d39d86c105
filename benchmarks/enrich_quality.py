"""Quality and speed of the article brief (newsdesk.enrich).

Run: .venv/bin/python benchmarks/enrich_quality.py   (NEWSDESK_CORPUS overrides the corpus path)
Prints: summary ROUGE-1/2/L F1 against the editors' lead of English fundus pages, for Lead-3 and
for the ranking weights (grid chosen on dev, reported on test); hand-label scores (who's who,
quotes, figures, hashtags) on dev and test; and articles/s on one core with the spaCy share.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from enrich_scoring import (  # noqa: E402
    labelled_text,
    load_labels,
    rouge,
    score_labels,
    split_of,
    summary_cases,
)

from newsdesk.enrich import Analysis, analyze, article_brief  # noqa: E402
from newsdesk.enrich.summary import Weights, summary_and_points  # noqa: E402
from newsdesk.nlp.spacy_model import load  # noqa: E402

GRID = {
    "centrality": (0.5, 1.0),
    "title": (0.5, 1.0, 2.0),
    "position": (0.5, 1.0, 2.0),
    "decay": (0.15, 0.3),
    "redundancy": (0.3, 0.6),
}


def mean_rouge(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    scores = [rouge(ref, hyp) for ref, hyp in pairs]
    return tuple(sum(s[i] for s in scores) / max(1, len(scores)) for i in range(3))  # type: ignore[return-value]


def summaries() -> None:
    cases = summary_cases()
    analyses = {c.id: analyze(c.body, title=c.title, lang="en") for c in cases}
    by_split = {s: [c for c in cases if split_of(c.id) == s] for s in ("dev", "test")}

    def run(split: str, w: Weights) -> tuple[float, float, float]:
        return mean_rouge(
            [
                (c.reference, " ".join(x.text for x in summary_and_points(analyses[c.id], w)[0]))
                for c in by_split[split]
            ]
        )

    def lead3(split: str) -> tuple[float, float, float]:
        return mean_rouge(
            [
                (c.reference, " ".join(s.text for s in analyses[c.id].sentences[:3]))
                for c in by_split[split]
            ]
        )

    best, best_w = (-1.0, -1.0, -1.0), Weights()
    for values in itertools.product(*GRID.values()):
        w = Weights(**dict(zip(GRID, values, strict=True)))
        r = run("dev", w)
        if r[1] + r[2] > best[1] + best[2]:
            best, best_w = r, w
    print(f"summary set: {len(cases)} English fundus pages with a lead "
          f"(dev {len(by_split['dev'])}, test {len(by_split['test'])})")  # fmt: skip
    print("| split | system | ROUGE-1 | ROUGE-2 | ROUGE-L |\n|---|---|---|---|---|")
    for split in ("dev", "test"):
        for name, r in (
            ("Lead-3", lead3(split)),
            ("default weights", run(split, Weights())),
            ("dev-best weights", run(split, best_w)),
        ):
            print(f"| {split} | {name} | {r[0]:.4f} | {r[1]:.4f} | {r[2]:.4f} |")
    print(f"dev-best weights: {best_w}")


def labels() -> None:
    rows = load_labels()
    for split in ("dev", "test"):
        pairs = []
        for row in rows:
            if row["split"] != split:
                continue
            title, text = labelled_text(row)
            pairs.append((row, article_brief(analyze(text, title=title or None, lang="en"))))
        s = score_labels(pairs)
        print(f"\nlabels {split}: {len(pairs)} articles")
        for t, tally in s.entities.items():
            print(f"  who {t}: precision {tally.precision:.3f} recall {tally.recall:.3f}")
        print(f"  quotes: recall {s.quote_recall.recall:.3f}, speaker accuracy "
              f"{s.speaker_accuracy:.3f} ({s.speaker_right}/{s.speaker_total})")  # fmt: skip
        print(f"  figures: precision {s.figures.precision:.3f} recall {s.figures.recall:.3f}")
        print(f"  hashtags: precision {s.hashtag_precision:.3f} ({s.hashtag_total} tags)")


def speed() -> None:
    cases = [c.body for c in summary_cases()]
    texts = [t for t in cases if 350 <= len(t.split()) <= 1000][:40]
    nlp = load("en")
    list(nlp.pipe(texts[:2]))
    t0 = time.perf_counter()
    list(nlp.pipe(texts))
    model = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyses: list[Analysis] = [analyze(t, lang="en") for t in texts]
    analysed = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in analyses:
        article_brief(a)
    briefed = time.perf_counter() - t0
    total = analysed + briefed
    mean_words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"\nspeed: {len(texts)} articles, {mean_words:.0f} words on average, one process")
    print(f"  analyze+article_brief: {len(texts) / total:.2f} articles/s")
    print(f"  nlp.pipe alone: {model:.2f}s; analyze {analysed:.2f}s; article_brief {briefed:.2f}s")
    print(f"  everything besides the model: {100 * max(0.0, total - model) / total:.1f}% of total")


if __name__ == "__main__":
    summaries()
    labels()
    speed()
