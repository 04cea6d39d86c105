"""Near-duplicate detection: MinHash signatures over word shingles, LSH band keys for bucketing.

The store keeps each article's signature and band keys; a new article's band keys fetch the
candidates that share a bucket, and `Deduper.best_match` decides which one (if any) it copies.

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

    def __init__(self, *, threshold: float = 0.5, num_perm: int = 128, shingle_size: int = 3):
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"dedup: threshold {threshold} is not in (0, 1]")
        if num_perm < 2 or shingle_size < 1:
            raise ValueError(f"dedup: num_perm={num_perm}, shingle_size={shingle_size} too small")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        self.bands, self.rows = lsh_params(threshold, num_perm)
        # Building the permutations is the costly part of a MinHash: do it once, copy per text.
        # Shingles arrive already hashed to 32 bits (shingle_hashes), so the hash function is
        # the identity; datasketch still pre-mixes every value before its permutations.
        self._template = MinHash(num_perm=num_perm, seed=_SEED, hashfunc=_identity)

    def fingerprint(self, text: str, title: str | None = None) -> Fingerprint:
        """Content hash, MinHash signature and LSH band keys of `text` (the title is not used)."""
        normalized = normalize_text(text)
        digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        if normalized.count(" ") + 1 < MIN_WORDS:
            return Fingerprint(content_hash=digest, signature=b"", band_keys=())
        minhash = self._template.copy()
        minhash.update_batch(shingle_hashes(normalized, self.shingle_size).tolist())
        signature = minhash.hashvalues.astype(_SIG_DTYPE, copy=False).tobytes()
        return Fingerprint(
            content_hash=digest, signature=signature, band_keys=self.band_keys(signature)
        )

    def band_keys(self, signature: bytes) -> tuple[bytes, ...]:
        """The LSH bucket keys of a signature under this threshold's (bands, rows); () if empty."""
        if not signature:
            return ()
        values = np.frombuffer(signature, dtype=_SIG_DTYPE)
        if len(values) != self.num_perm:
            raise ValueError(
                f"dedup: a signature of {len(values)} values, expected {self.num_perm}"
            )
        # Key = band index (2 bytes) + an 8-byte digest of the band's values: short, fixed-size
        # keys index well in SQL, and the index keeps equal bands of different bands apart.
        keys = []
        for band in range(self.bands):
            chunk = values[band * self.rows : (band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8).digest()
            keys.append(band.to_bytes(2, "little") + digest)
        return tuple(keys)

    def similarity(self, a: bytes, b: bytes) -> float:
        """Estimated Jaccard similarity of two signatures; 0.0 when either is empty (short text)."""
        if not a or not b:
            return 0.0
        if len(a) != len(b):
            raise ValueError(f"dedup: signatures of {len(a)} and {len(b)} bytes are not comparable")
        va = np.frombuffer(a, dtype=_SIG_DTYPE)
        vb = np.frombuffer(b, dtype=_SIG_DTYPE)
        return float(np.count_nonzero(va == vb)) / len(va)

    def best_match(
        self, fp: Fingerprint, candidates: Iterable[tuple[int, bytes]]
    ) -> tuple[int, float] | None:
        """The candidate (article_id, similarity) most similar to `fp` at or above the threshold.

        None means "no near-duplicate" (a normal answer, not a failure). Ties go to the lowest
        id, the older article, so the canonical stays stable. Candidates with a signature of a
        different length (another num_perm) are skipped: they cannot be compared.
        """
        if not fp.signature:
            return None
        mine = np.frombuffer(fp.signature, dtype=_SIG_DTYPE)
        best: tuple[int, float] | None = None
        for article_id, signature in candidates:
            if len(signature) != len(fp.signature):
                continue
            score = float(np.count_nonzero(mine == np.frombuffer(signature, _SIG_DTYPE))) / len(
                mine
            )
            if score < self.threshold:
                continue
            if best is None or score > best[1] or (score == best[1] and article_id < best[0]):
                best = (article_id, score)
        return best

    def is_near_duplicate(self, a: str, b: str) -> bool:
        """True when two texts are exact duplicates after normalization or near-duplicates."""
        if content_hash(a) == content_hash(b):
            return True
        return self.similarity(self.fingerprint(a).signature, self.fingerprint(b).signature) >= (
            self.threshold
        )
