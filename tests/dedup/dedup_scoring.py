"""Scores a Deduper on the evaluation set: pairwise precision/recall and the LSH bucket path."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dedup_evalset import Doc, Pair

from newsdesk.dedup import Deduper
from newsdesk.dedup.minhash import CONTAINMENT
from newsdesk.models import Fingerprint


@dataclass(frozen=True, slots=True)
class Scores:
    threshold: float
    bands: int
    rows: int
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    f05: float  # F-beta with beta 0.5: a false merge hides an article, a miss only repeats one
    lsh_recall: float  # variants whose original comes back through band buckets + best_match
    lsh_false: int  # originals matched to an unrelated (other-event) original through LSH
    mean_candidates: float  # bucket candidates per query: the store's work per article
    gray_flagged: float  # share of same-wire-story pairs called duplicates


class Scorer:
    """Fingerprints every text once; scores any threshold from the cached signatures."""

    def __init__(
        self,
        docs: list[Doc],
        pairs: list[Pair],
        split: str,
        containment: float | None = CONTAINMENT,
    ) -> None:
        """containment None scores the Jaccard-only judgement (no containment, no lead keys)."""
        self.containment = containment
        self.docs = {d.id: d for d in docs if d.split == split}
        self.pairs = [p for p in pairs if p.split == split]
        base = Deduper(containment=containment)
        self.fp: dict[str, Fingerprint] = {
            i: base.fingerprint(d.text) for i, d in self.docs.items()
        }
        self.pair_fp = [
            base.fingerprint(p.b_text) if p.b_id is None else self.fp[p.b_id] for p in self.pairs
        ]
        self.sims = [
            1.0
            if self.fp[p.a].content_hash == fb.content_hash
            else base.score(self.fp[p.a].signature, fb.signature)
            for p, fb in zip(self.pairs, self.pair_fp, strict=True)
        ]

    def score(self, threshold: float) -> Scores:
        """Pairwise and LSH-path quality at one threshold."""
        tp = fp = fn = gray = gray_hit = 0
        for pair, sim in zip(self.pairs, self.sims, strict=True):
            hit = sim >= threshold
            if pair.label is None:
                gray += 1
                gray_hit += hit
            elif pair.label:
                tp += hit
                fn += not hit
            else:
                fp += hit
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f05 = 1.25 * precision * recall / (0.25 * precision + recall) if recall else 0.0
        dd = Deduper(threshold=threshold, containment=self.containment)
        lsh_recall, lsh_false, mean_candidates = self._lsh(dd)
        return Scores(
            threshold, dd.bands, dd.rows, tp, fp, fn, precision, recall, f1, f05,
            lsh_recall, lsh_false, mean_candidates, gray_hit / gray if gray else 0.0,
        )  # fmt: skip

    def _lsh(self, dd: Deduper) -> tuple[float, int, float]:
        # The store's bucket table, simulated: band key -> ids of the originals in that bucket.
        ids = sorted(self.docs)
        number = {doc_id: n for n, doc_id in enumerate(ids)}
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for doc_id in ids:
            for key in dd.band_keys(self.fp[doc_id].signature):
                buckets[key].append(number[doc_id])
        by_hash = {self.fp[doc_id].content_hash: number[doc_id] for doc_id in ids}
        signatures = [self.fp[doc_id].signature for doc_id in ids]

        def query(fp: Fingerprint, exclude: int | None) -> tuple[int | None, int]:
            if fp.content_hash in by_hash and by_hash[fp.content_hash] != exclude:
                return by_hash[fp.content_hash], 0
            found = {n for key in dd.band_keys(fp.signature) for n in buckets.get(key, ())}
            found.discard(exclude)  # type: ignore[arg-type]
            match = dd.best_match(fp, ((n, signatures[n]) for n in sorted(found)))
            return (match[0] if match else None), len(found)

        found_ok = total = candidates = queries = 0
        for pair, fp in zip(self.pairs, self.pair_fp, strict=True):
            if pair.b_id is not None:
                continue
            total += 1
            got, n = query(fp, None)
            candidates += n
            queries += 1
            # A different original counts when it is itself a near-copy of the true one (the
            # corpus holds a few wire stories twice): the pipeline links to either correctly.
            true = number[pair.a]
            found_ok += got == true or (
                got is not None and dd.score(signatures[got], signatures[true]) >= dd.threshold
            )
        false = 0
        for doc_id in ids:
            got, n = query(self.fp[doc_id], number[doc_id])
            candidates += n
            queries += 1
            if got is not None and self.docs[ids[got]].event != self.docs[doc_id].event:
                false += 1
        return found_ok / total if total else 0.0, false, candidates / queries if queries else 0.0
