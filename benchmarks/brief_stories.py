"""Stories and near-duplicates, measured: ECB+ clustering (same-topic events apart, same-event
articles together), a short headline + snippet stream, and lead-only copies as duplicates.

Run: .venv/bin/python benchmarks/brief_stories.py   (NEWSDESK_CORPUS overrides the corpus path)
Clustering: ECB+ topics 1-35 are development (the usual train and dev topics plus 26-35, which
the usual split leaves out), 36-45 the test topics, reported once. Parameters are chosen on
development: the best B-cubed F1 among settings that fuse at most 10% of same-topic,
different-event article pairs. Beside them: today's settings (names only, one undated
margin, no story-to-story look: the settings before issue 8), "first round" (the defaults
before the lead's years counted as time evidence and regroup() re-placed small stories), each
of those two rules alone, "second round" (the defaults before regroup() reached past the
window for follow-up coverage), every article alone, and a stress run without any dates. The
online run calls regroup() every 16 articles (the pipeline: once per ingest run).
The short stream is each article's title and the first 30 words after it. Dedup: the test split
of tests/dedup/dedup_evalset.py, before (Jaccard only) and after (containment); the threshold
and containment level are chosen on its dev split by benchmarks/dedup_quality.py. Prints
Markdown; about 30 minutes on the shared 2-core machine under load (10 of them MiniLM and spaCy
over 982 articles twice, most of the rest the grid).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "cluster"))
sys.path.insert(0, str(ROOT / "tests" / "dedup"))

from cluster_evalset import Doc, Result, corpus_available, featurize, load_rows, score, split_of  # noqa: E402
from dedup_evalset import build_pairs, load_docs  # noqa: E402
from dedup_scoring import Scorer  # noqa: E402

from newsdesk.cluster import StoryIndex, event_details  # noqa: E402
from newsdesk.dedup.minhash import CONTAINMENT  # noqa: E402
from newsdesk.nlp.embedder import default_embedder  # noqa: E402

TODAY: dict[str, Any] = {  # the settings before this round: names only, one undated margin
    "threshold": 0.55,
    "entity_weight": 1.0,
    "undated_margin": 0.2,
    "mixed_margin": None,
    "year_margin": None,
    "small_size": 0,
    "story_merge_threshold": None,
}
BEFORE: dict[str, Any] = {  # first round: the defaults before the lead's years and regroup()
    "year_margin": None,
    "small_size": 0,
    "story_merge_threshold": 0.9,
}
SECOND: dict[str, Any] = {"followup_days": None}  # second round: regroup() inside the window
GRID = {
    "threshold": (0.6, 0.65, 0.7),
    "entity_weight": (1.0, 1.5),
    "mixed_margin": (0.3, 0.4),
    "year_margin": (None, 0.0, 0.1, 0.2),
    "small": ((0, 0.05), (3, 0.0), (3, 0.05), (3, 0.1)),  # regroup(): small_size, margin
    "story_merge_threshold": (None, 0.9),
    # regroup()'s reach past the window (days, margin); of equal rows the first is kept, so
    # the shorter reach and the larger margin come first
    "followup": ((None, 0.2), (30, 0.2), (90, 0.3), (90, 0.2), (90, 0.1), (365, 0.2)),
}
HARD_NEGATIVE_MAX = 0.10
INGESTED = datetime(2026, 1, 1, tzinfo=UTC)  # one ingest time for every undated article
SNIPPET_WORDS = 30
HEADER = "| set | split | setting | B3 precision | B3 recall | B3 F1 | hard-neg fused | stories |"


def row(what: str, split: str, setting: str, r: Result) -> str:
    return (
        f"| {what} | {split} | {setting} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} "
        f"| {r.hard_negative_rate:.3f} | {r.stories} |"
    )


def names_only(docs: Sequence[Doc], details: dict[str, frozenset[str]]) -> list[Doc]:
    """The documents as today's pipeline saw them: names, no event details."""
    return [dataclasses.replace(d, entities=d.entities - details[d.id]) for d in docs]


def undated(docs: Sequence[Doc]) -> list[Doc]:
    return [dataclasses.replace(d, when=None) for d in docs]


def alone(docs: Sequence[Doc]) -> Result:
    """Every article its own story: the trivial baseline (precision 1)."""
    return score(docs, StoryIndex(threshold=10.0, entity_weight=0.0, story_merge_threshold=None))


def snippet(row: dict[str, Any]) -> dict[str, Any]:
    """A feed item: the title and the first SNIPPET_WORDS words of the text after it."""
    text = row["text"] or ""
    title = row["title"] or text.split("\n", 1)[0]
    if text.startswith(title):
        text = text[len(title) :]
    return dict(row, title=title, text=" ".join(text.split()[:SNIPPET_WORDS]))


def sample_ids() -> set[str]:
    """The ECB+ articles of the demo's sample data (the pipeline's own test of stories)."""
    path = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as lines:
        return {json.loads(line)["id"] for line in lines if line.strip()}


def grid() -> list[dict[str, Any]]:
    out = []
    for th, ew, mm, ym, (size, small_margin), sm, (fd, fm) in itertools.product(*GRID.values()):
        out.append(
            {
                "threshold": th,
                "entity_weight": ew,
                "undated_margin": 0.2,
                "mixed_margin": mm,
                "year_margin": ym,
                "small_size": size,
                "small_threshold": round(th + small_margin, 2),
                "merge_threshold": th + 0.15,
                "story_merge_threshold": sm,
                "followup_days": fd,
                "followup_margin": fm,
            }
        )
    return out


def label(p: dict[str, Any]) -> str:
    return (
        f"th {p['threshold']}, ew {p['entity_weight']}, mixed {p['mixed_margin']}, "
        f"year {p['year_margin']}, small {p['small_size']} at {p['small_threshold']}, "
        f"merge {p.get('merge_threshold', p['threshold'] + 0.15):.2f}, "
        f"story merge {p['story_merge_threshold']}, "
        f"follow-up {p.get('followup_days')} at {p.get('followup_margin')}"
    )


def clustering(corpus: Path) -> None:
    rows = load_rows(corpus)
    embedder = default_embedder()
    start = time.perf_counter()
    docs = featurize(rows, embedder)
    snippets = [snippet(r) for r in rows]
    short = featurize(snippets, embedder)
    details = {r["id"]: event_details(r["title"] or "", r["text"] or "") for r in rows}
    short_details = {r["id"]: event_details(r["title"], r["text"]) for r in snippets}
    took = time.perf_counter() - start
    print(f"{len(rows)} articles featurized twice (whole, snippet) in {took:.0f} s\n")
    dev = [d for d in docs if split_of(d.topic) == "dev"]
    test = [d for d in docs if split_of(d.topic) == "test"]
    results = [(score(dev, StoryIndex(**p)), p) for p in grid()]
    allowed = [x for x in results if x[0].hard_negative_rate <= HARD_NEGATIVE_MAX]
    best, chosen = max(allowed, key=lambda x: x[0].f1)  # max keeps the first of equal rows
    print(f"### Clustering, ECB+ (dev topics 1-35: {len(dev)} articles; test 36-45: {len(test)})")
    print(f"\nGrid: {len(results)} settings; chosen on dev: {label(chosen)}.\n")
    print(HEADER + "\n|" + "---|" * 8)
    for split, part in (("dev", dev), ("test", test)):
        print(row("ECB+", split, "every article alone", alone(part)))
        print(row("ECB+", split, "today", score(names_only(part, details), StoryIndex(**TODAY))))
        print(row("ECB+", split, "first round", score(part, StoryIndex(**BEFORE))))
        years_only = StoryIndex(small_size=0)
        print(row("ECB+", split, "lead's years, no regroup", score(part, years_only)))
        small_only = StoryIndex(year_margin=None)
        print(row("ECB+", split, "regroup, no years", score(part, small_only)))
        print(row("ECB+", split, "second round", score(part, StoryIndex(**SECOND))))
        for days in (30, 365):
            reach = StoryIndex(followup_days=days)
            print(row("ECB+", split, f"follow-ups within {days} days", score(part, reach)))
        print(row("ECB+", split, "chosen", score(part, StoryIndex(**chosen))))
        print(row("ECB+", split, "defaults", score(part, StoryIndex())))
    for split, part in (("dev", dev), ("test", test)):
        today = score(undated(names_only(part, details)), StoryIndex(**TODAY))
        print(row("ECB+ no dates", split, "today", today))
        first = score(undated(part), StoryIndex(**BEFORE))
        print(row("ECB+ no dates", split, "first round", first))
        second = score(undated(part), StoryIndex(**SECOND))
        print(row("ECB+ no dates", split, "second round", second))
        print(row("ECB+ no dates", split, "defaults", score(undated(part), StoryIndex())))
    for split in ("dev", "test"):
        part = [d for d in short if split_of(d.topic) == split]
        today = score(names_only(part, short_details), StoryIndex(**TODAY))
        print(row("snippets", split, "today", today))
        print(row("snippets", split, "first round", score(part, StoryIndex(**BEFORE))))
        print(row("snippets", split, "second round", score(part, StoryIndex(**SECOND))))
        print(row("snippets", split, "defaults", score(part, StoryIndex())))
    sample = sample_ids()
    if sample:
        part = [d for d in docs if d.id in sample]
        ingest = [dataclasses.replace(d, when=d.when or INGESTED) for d in part]
        today = score(names_only(ingest, details), StoryIndex(**TODAY))
        print(row("sample data", "all", "today, undated at ingest time", today))
        today = score(names_only(part, details), StoryIndex(**TODAY))
        print(row("sample data", "all", "today's settings, undated as undated", today))
        before = score(part, StoryIndex(**BEFORE))
        print(row("sample data", "all", "first round, undated as undated", before))
        second = score(part, StoryIndex(**SECOND))
        print(row("sample data", "all", "second round, undated as undated", second))
        print(row("sample data", "all", "defaults, undated as undated", score(part, StoryIndex())))
    print("\nTop dev rows within the hard-negative limit:\n")
    print(HEADER + "\n|" + "---|" * 8)
    for r, p in sorted(allowed, key=lambda x: -x[0].f1)[:5]:
        print(row("ECB+", "dev", label(p), r))
    print(row("ECB+", "dev", "chosen", best))


def dedup(corpus: Path) -> None:
    docs = load_docs(corpus)
    pairs = build_pairs(docs)
    print("\n### Near-duplicates (test split of the dedup set; threshold 0.35)\n")
    print("| judgement | precision | recall | lead recall | lead copy recall | trimmed recall "
          "| same-event FP | same-topic FP | LSH recall | gray flagged |")  # fmt: skip
    print("|" + "---|" * 10)
    for name, containment in (("Jaccard only (before)", None), ("containment", CONTAINMENT)):
        scorer = Scorer(docs, pairs, "test", containment)
        s = scorer.score(0.35)

        def share(kind: str, scorer: Scorer = scorer) -> str:
            sims = [x for p, x in zip(scorer.pairs, scorer.sims, strict=True) if p.kind == kind]
            return f"{sum(x >= 0.35 for x in sims) / len(sims):.3f}"

        def false(kind: str, scorer: Scorer = scorer) -> int:
            return sum(
                x >= 0.35 for p, x in zip(scorer.pairs, scorer.sims, strict=True) if p.kind == kind
            )

        label_ = f"{name}, {containment}" if containment else name
        print(
            f"| {label_} | {s.precision:.4f} | {s.recall:.4f} | {share('lead')} "
            f"| {share('lead_copy')} | {share('trimmed')} | {false('same_event')} "
            f"| {false('same_topic')} | {s.lsh_recall:.4f} | {s.gray_flagged:.2f} |"
        )


def main() -> None:
    corpus = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not corpus_available(corpus):
        sys.exit(f"brief_stories: no corpus at {corpus} (set NEWSDESK_CORPUS)")
    print("## stories\n\nCommand: `.venv/bin/python benchmarks/brief_stories.py`\n")
    clustering(corpus)
    dedup(corpus)


if __name__ == "__main__":
    main()
