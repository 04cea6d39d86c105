"""Text normalization for exact-duplicate hashing and the word shingles of near-duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

_WORD = re.compile(r"\S+")
_SPACE = 0x20
_BASE = np.uint64(0x100000001B3)  # odd, so invertible modulo 2^64
_INV_BASE = np.uint64(pow(0x100000001B3, -1, 2**64))


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


# Every punctuation code point of the BMP maps to a space: str.translate with a table is far
# faster than a per-character category test, and the astral planes hold almost no punctuation.
_PUNCT_TO_SPACE = {cp: " " for cp in range(0x10000) if _is_punctuation(chr(cp))}


def normalize_text(text: str) -> str:
    """Casefolded NFKC text with punctuation removed and whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # casefold can produce combining sequences again (e.g. "İ"), so normalize once more.
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_TO_SPACE)
    return " ".join(_WORD.findall(text))


def content_hash(text: str) -> str:
    """The sha256 hex digest of normalize_text(text): equal for texts that differ only in form."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def shingle_hashes(normalized: str, size: int) -> np.ndarray:
    """Distinct 32-bit hashes of every run of `size` consecutive words of normalized text.

    A polynomial hash of each run's UTF-8 bytes, computed for all runs at once from prefix
    sums (no per-shingle Python work), then mixed down to 32 bits. Stable across processes
    and machines, unlike hash(). Fewer than `size` words give one run of them all.
    """
    data = np.frombuffer(normalized.encode("utf-8"), dtype=np.uint8)
    if data.size == 0:
        return np.empty(0, dtype=np.uint32)
    spaces = np.flatnonzero(data == _SPACE)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [data.size]))
    last = max(len(starts) - size, 0)  # index of the last run's first word
    span_start = starts[: last + 1]
    span_end = ends[np.minimum(np.arange(last + 1) + size - 1, len(ends) - 1)]
    # prefix[i] = sum_{j<i} b_j * INV^j (mod 2^64); a span's sum times BASE^(end-1) is the
    # position-independent polynomial hash sum_j b_j * BASE^(end-1-j). uint64 arrays wrap.
    n = data.size
    inv_powers = np.cumprod(np.full(n, _INV_BASE, dtype=np.uint64))
    inv_powers = np.concatenate(([np.uint64(1)], inv_powers[:-1]))
    powers = np.cumprod(np.full(n, _BASE, dtype=np.uint64))
    powers = np.concatenate(([np.uint64(1)], powers[:-1]))
    prefix = np.concatenate(([np.uint64(0)], np.cumsum(data.astype(np.uint64) * inv_powers)))
    h = (prefix[span_end] - prefix[span_start]) * powers[span_end - 1]
    # Murmur3's 64-bit finalizer, so the top 32 bits depend on every input byte.
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return np.unique((h >> np.uint64(32)).astype(np.uint32))
