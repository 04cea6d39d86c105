"""Quality and speed of the article brief (newsdesk.enrich).

Run: .venv/bin/python benchmarks/enrich_quality.py   (NEWSDESK_CORPUS overrides the corpus path)
Prints: summary ROUGE-1/2/L F1 against the editors' lead of English fundus pages, for Lead-3 and
for the ranking weights (grid chosen on dev, reported on test), with per-page wins; the same on a
larger set, ECB+ articles (no title given) against their own headline as a one-line reference;
hand-label scores (who's who, quotes, figures, hashtags) on dev and test; and articles/s on one
core with the spaCy share.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from enrich_scoring import (  # noqa: E402
    CORPUS,
    SummaryCase,
    labelled_text,
    load_labels,
    rouge,
    score_labels,
    split_of,
    summary_cases,
)

from newsdesk.enrich import Analysis, analyze, article_brief  # noqa: E402
from newsdesk.enrich.summary import summary_and_points  # noqa: E402
from newsdesk.nlp.spacy_model import load  # noqa: E402


def mean_rouge(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    scores = [rouge(ref, hyp) for ref, hyp in pairs]
    return tuple(sum(s[i] for s in scores) / max(1, len(scores)) for i in range(3))  # type: ignore[return-value]


def summaries() -> None:
    cases = summary_cases()
    analyses = {c.id: analyze(c.body, title=c.title, lang="en") for c in cases}
    by_split = {s: [c for c in cases if split_of(c.id) == s] for s in ("dev", "test")}

    def ours(c: SummaryCase) -> str:
        return " ".join(x.text for x in summary_and_points(analyses[c.id])[0])

    def lead3(c: SummaryCase) -> str:
        return " ".join(s.text for s in analyses[c.id].sentences[:3])

    # The sentence model and word budget are fitted on CNN / Daily Mail (brief_summaries.py).
    print(f"summary set: {len(cases)} English fundus pages with a lead "
          f"(dev {len(by_split['dev'])}, test {len(by_split['test'])})")  # fmt: skip
    print("| split | system | ROUGE-1 | ROUGE-2 | ROUGE-L | words |\n|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        for name, system in (("Lead-3", lead3), ("newsdesk", ours)):
            r = mean_rouge([(c.reference, system(c)) for c in by_split[split]])
            words = sum(len(system(c).split()) for c in by_split[split])
            words /= max(1, len(by_split[split]))
            print(f"| {split} | {name} | {r[0]:.4f} | {r[1]:.4f} | {r[2]:.4f} | {words:.1f} |")
    for split in ("dev", "test"):
        wins = losses = 0
        for c in by_split[split]:
            a, b = rouge(c.reference, ours(c))[2], rouge(c.reference, lead3(c))[2]
            wins, losses = wins + (a > b), losses + (a < b)
        print(f"{split}: newsdesk beats Lead-3 on ROUGE-L for {wins} pages, loses on {losses}")


def headline_set() -> None:
    """ECB+ articles whose headline is not their first line: (text -> headline), no title given."""
    rows = []
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            art = json.loads(line)
            if art["title"] and not art["title_is_lead"] and art["text"].count("\n") >= 4:
                rows.append((art["id"], art["title"], analyze(art["text"], lang="en")))
    print(f"\nheadline set: {len(rows)} ECB+ articles, reference = the headline (one line)")
    print("| split | system | ROUGE-1 | ROUGE-2 | ROUGE-L |\n|---|---|---|---|---|")
    for split in ("dev", "test"):
        part = [r for r in rows if split_of(r[0]) == split]
        ours = [(t, " ".join(x.text for x in summary_and_points(a)[0])) for _, t, a in part]
        lead = [(t, " ".join(s.text for s in a.sentences[:3])) for _, t, a in part]
        for name, pairs in (("Lead-3", lead), ("newsdesk", ours)):
            r = mean_rouge(pairs)
            print(f"| {split} ({len(part)}) | {name} | {r[0]:.4f} | {r[1]:.4f} | {r[2]:.4f} |")


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
        print(f"  figures: precision {s.figures.precision:.3f} recall {s.figures.recall:.3f} "
              f"(tp {s.figures.tp}, fp {s.figures.fp}, fn {s.figures.fn})")  # fmt: skip
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
    headline_set()
    labels()
    speed()
