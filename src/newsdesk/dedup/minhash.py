"""Near-duplicate detection: MinHash signatures over word shingles, LSH band keys for bucketing.

The store keeps each article's signature and band keys; a new article's band keys fetch the
candidates that share a bucket, and `Deduper.best_match` decides which one (if any) it copies.

A copy that keeps only the lead of an article (syndication often cuts the end) shares few
shingles with the whole (Jaccard = its share of the length), so Jaccard alone misses it. The
signature therefore also carries a MinHash of the lead (the first LEAD_WORDS words, banded
into extra bucket keys so lead copies meet their original) and the number of shingles, from
which best_match estimates containment: the share of the shorter text's shingles inside the
longer one, |A & B| / min(|A|, |B|) = J (|A| + |B|) / ((1 + J) min(|A|, |B|)).

Short texts are never near-duplicates: below MIN_WORDS normalized words (a one-line feed
summary, a teaser) two unrelated items share too large a fraction of their few shingles, so
such a text gets an empty signature and no band keys, and only its exact content hash counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from newsdesk.dedup.text import content_hash, normalize_text, shingle_hashes
from newsdesk.models import Fingerprint

MIN_WORDS = 30  # fewer normalized words than this: exact hash only, no near-duplicate matching
LEAD_WORDS = 60  # the lead whose own MinHash buckets lead-only copies with their original
LEAD_BANDS, LEAD_ROWS = 8, 4  # its band keys: lead Jaccard 0.6 meets with p 0.66, 0.8 with 0.97
LEAD_KEY_BASE = 0x8000  # lead band keys are numbered from here, apart from the text's bands
CONTAINMENT = 0.7  # share of the shorter text inside the longer that makes it a copy (dev F0.5)
MIN_SIZE_RATIO = 0.2  # below this length ratio the containment estimate is too noisy to use
_SEED = 1  # fixed forever: signatures in the store are only comparable under the same seed
_SIG_DTYPE = np.dtype("<u4")  # datasketch's affine32 scheme keeps uint32 hash values


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimizing equally weighted false positive and negative rates (datasketch)."""
    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


class Deduper:
    """Fingerprints articles and picks the near-duplicate among candidates the store hands back."""

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        num_perm: int = 128,
        shingle_size: int = 3,
        containment: float | None = CONTAINMENT,
    ):
        """containment None: Jaccard only and no lead buckets (how copies were judged before)."""
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"dedup: threshold {threshold} is not in (0, 1]")
        if containment is not None and not 0.0 < containment <= 1.0:
            raise ValueError(f"dedup: containment {containment} is not in (0, 1]")
        if num_perm < 2 or shingle_size < 1:
            raise ValueError(f"dedup: num_perm={num_perm}, shingle_size={shingle_size} too small")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.containment = containment
        self.bands, self.rows = lsh_params(threshold, num_perm)
        # Building the permutations is the costly part of a MinHash: do it once, copy per text.
        # Shingles arrive already hashed to 32 bits (shingle_hashes), so the hash function is
        # the identity; datasketch still pre-mixes every value before its permutations.
        self._template = MinHash(num_perm=num_perm, seed=_SEED, hashfunc=_identity)
        self._lead_template = MinHash(
            num_perm=LEAD_BANDS * LEAD_ROWS, seed=_SEED, hashfunc=_identity
        )

    def fingerprint(self, text: str, title: str | None = None) -> Fingerprint:
        """Content hash, MinHash signature and LSH band keys of `text` (the title is not used).

        The signature packs, as little-endian uint32: the text's num_perm MinHash values, the
        LEAD_BANDS x LEAD_ROWS MinHash values of its lead, and its shingle count.
        """
        normalized = normalize_text(text)
        digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        words = normalized.split(" ")
        if len(words) < MIN_WORDS:
            return Fingerprint(content_hash=digest, signature=b"", band_keys=())
        shingles = shingle_hashes(normalized, self.shingle_size)
        minhash = self._template.copy()
        minhash.update_batch(shingles.tolist())
        lead = self._lead_template.copy()
        lead.update_batch(shingle_hashes(" ".join(words[:LEAD_WORDS]), self.shingle_size).tolist())
        signature = b"".join(
            (
                minhash.hashvalues.astype(_SIG_DTYPE, copy=False).tobytes(),
                lead.hashvalues.astype(_SIG_DTYPE, copy=False).tobytes(),
                np.array([len(shingles)], dtype=_SIG_DTYPE).tobytes(),
            )
        )
        return Fingerprint(
            content_hash=digest, signature=signature, band_keys=self.band_keys(signature)
        )

    def band_keys(self, signature: bytes) -> tuple[bytes, ...]:
        """The LSH bucket keys of a signature under this threshold's (bands, rows); () if empty."""
        if not signature:
            return ()
        values, lead, _ = self._parts(signature)
        # Key = band index (2 bytes) + an 8-byte digest of the band's values: short, fixed-size
        # keys index well in SQL, and the index keeps equal bands of different bands apart.
        keys = []
        for band in range(self.bands):
            chunk = values[band * self.rows : (band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8).digest()
            keys.append(band.to_bytes(2, "little") + digest)
        if lead is not None and self.containment is not None:
            for band in range(LEAD_BANDS):
                chunk = lead[band * LEAD_ROWS : (band + 1) * LEAD_ROWS].tobytes()
                digest = hashlib.blake2b(chunk, digest_size=8).digest()
                keys.append((LEAD_KEY_BASE + band).to_bytes(2, "little") + digest)
        return tuple(keys)

    def _parts(self, signature: bytes) -> tuple[np.ndarray, np.ndarray | None, int | None]:
        """(text MinHash values, lead values, shingle count); the last two None in a signature
        stored before they existed (text values only)."""
        values = np.frombuffer(signature, dtype=_SIG_DTYPE)
        if len(values) == self.num_perm:
            return values, None, None
        if len(values) != self.num_perm + LEAD_BANDS * LEAD_ROWS + 1:
            raise ValueError(
                f"dedup: a signature of {len(values)} values is not comparable with "
                f"num_perm {self.num_perm}"
            )
        return values[: self.num_perm], values[self.num_perm : -1], int(values[-1])

    def score(self, a: bytes, b: bytes) -> float:
        """Jaccard estimate, raised to the containment estimate when that one is at least
        self.containment (a lead-only or trimmed copy); 0.0 when either is empty (short text)."""
        if not a or not b:
            return 0.0
        va, _, na = self._parts(a)
        vb, _, nb = self._parts(b)
        jaccard = float(np.count_nonzero(va == vb)) / self.num_perm
        if na is None or nb is None or not jaccard or self.containment is None:
            return jaccard
        small, large = min(na, nb), max(na, nb)
        if small < MIN_WORDS or small < MIN_SIZE_RATIO * large:
            return jaccard
        contained = min(jaccard * (na + nb) / ((1 + jaccard) * small), 1.0)
        return contained if contained >= self.containment else jaccard

    def similarity(self, a: bytes, b: bytes) -> float:
        """Estimated Jaccard similarity of two signatures; 0.0 when either is empty (short text)."""
        if not a or not b:
            return 0.0
        va, vb = self._parts(a)[0], self._parts(b)[0]
        return float(np.count_nonzero(va == vb)) / self.num_perm

    def best_match(
        self, fp: Fingerprint, candidates: Iterable[tuple[int, bytes]]
    ) -> tuple[int, float] | None:
        """The candidate (article_id, similarity) most similar to `fp` at or above the threshold.

        The similarity is score(): Jaccard, or containment when the shorter text sits almost
        whole in the longer. None means "no near-duplicate" (a normal answer, not a failure).
        Ties go to the lowest id, the older article, so the canonical stays stable. Candidates
        with a signature of another num_perm are skipped: they cannot be compared.
        """
        if not fp.signature:
            return None
        best: tuple[int, float] | None = None
        for article_id, signature in candidates:
            try:
                score = self.score(fp.signature, signature)
            except ValueError:
                continue
            if score < self.threshold:
                continue
            if best is None or score > best[1] or (score == best[1] and article_id < best[0]):
                best = (article_id, score)
        return best

    def is_near_duplicate(self, a: str, b: str) -> bool:
        """True when two texts are exact duplicates after normalization or near-duplicates."""
        if content_hash(a) == content_hash(b):
            return True
        return self.score(self.fingerprint(a).signature, self.fingerprint(b).signature) >= (
            self.threshold
        )
