"""Near-duplicate quality of newsdesk.dedup on a set built from the shared corpus.

Run: .venv/bin/python benchmarks/dedup_quality.py   (NEWSDESK_CORPUS overrides the corpus path)
Prints precision/recall/F1 and the LSH-path recall per threshold and containment level on the
dev split (containment "off" is the Jaccard-only judgement of before), the chosen pair (best dev
F0.5, ties to the higher threshold; a false merge hides an article from readers, a missed
duplicate only shows it twice), its scores on the test split beside Jaccard only, and the
fingerprinting speed on ~600-word texts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dedup"))

from dedup_evalset import build_pairs, corpus_available, load_docs  # noqa: E402
from dedup_scoring import Scorer, Scores  # noqa: E402

from newsdesk.dedup import Deduper  # noqa: E402

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9)
CONTAINMENTS = (None, 0.7, 0.8, 0.9)
SHIPPED_THRESHOLD = 0.35  # the Jaccard-only setting before containment: the "before" row
HEADER = (
    "| containment | threshold | b x r | TP | FP | FN | precision | recall | F1 | F0.5 "
    "| LSH recall | LSH false | cand/query | gray flagged |\n|" + "---|" * 14
)


def row(s: Scores, containment: float | None) -> str:
    return (
        f"| {'off' if containment is None else containment} | {s.threshold:.2f} "
        f"| {s.bands}x{s.rows} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.4f} "
        f"| {s.recall:.4f} | {s.f1:.4f} | {s.f05:.4f} | {s.lsh_recall:.4f} | {s.lsh_false} "
        f"| {s.mean_candidates:.2f} | {s.gray_flagged:.2f} |"
    )


def speed(texts: list[str], containment: float | None) -> float:
    """Microseconds per fingerprint, best of three passes."""
    dd = Deduper(containment=containment)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            dd.fingerprint(text)
        best = min(best, (time.perf_counter() - start) / len(texts))
    return best * 1e6


def main() -> None:
    corpus = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not corpus_available(corpus):
        sys.exit(f"dedup_quality: no corpus at {corpus} (set NEWSDESK_CORPUS)")
    docs = load_docs(corpus)
    pairs = build_pairs(docs)
    for split in ("dev", "test"):
        kinds: dict[str, int] = {}
        for p in pairs:
            if p.split == split:
                kinds[p.kind] = kinds.get(p.kind, 0) + 1
        print(f"{split}: {sum(d.split == split for d in docs)} originals, pairs {kinds}")
    print("\n## dev split\n" + HEADER)
    scores: list[tuple[Scores, float | None]] = []
    for containment in CONTAINMENTS:
        dev = Scorer(docs, pairs, "dev", containment)
        for t in THRESHOLDS:
            scores.append((dev.score(t), containment))
            print(row(*scores[-1]))
    best, contained = max(scores, key=lambda x: (round(x[0].f05, 4), x[0].threshold, x[1] or 0.0))
    chosen = best.threshold
    print(f"\n## test split at the chosen threshold {chosen}, containment {contained}\n" + HEADER)
    test = Scorer(docs, pairs, "test", contained)
    print(row(test.score(chosen), contained))
    print(row(Scorer(docs, pairs, "test", None).score(SHIPPED_THRESHOLD), None))  # before
    print("\nrecall by variant kind (test):")
    for kind in sorted({p.kind for p in test.pairs if p.label}):
        sims = [s for p, s in zip(test.pairs, test.sims, strict=True) if p.kind == kind]
        found = sum(s >= chosen for s in sims) / len(sims)
        print(f"  {kind:12} recall {found:.4f}  min sim {min(sims):.2f}")
    for kind in ("same_event", "same_topic", "random", "same_wire_story"):
        sims = [s for p, s in zip(test.pairs, test.sims, strict=True) if p.kind == kind]
        above = sum(s >= chosen for s in sims)
        print(f"  {kind:15} max sim {max(sims):.2f}  pairs >= threshold {above} of {len(sims)}")
    long_texts = [d.text for d in docs if 500 <= len(d.text.split()) <= 700]
    micros = speed(long_texts, contained)
    print(f"\nfingerprint: {micros:.0f} µs per article ({len(long_texts)} texts, 500-700 words)")


if __name__ == "__main__":
    main()
