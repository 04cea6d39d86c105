"""Deduper: fingerprints, similarity, best_match and the short-text rule."""

from __future__ import annotations

import hashlib
import random

import pytest

from newsdesk.dedup import MIN_WORDS, Deduper, lsh_params
from newsdesk.dedup.minhash import LEAD_BANDS, LEAD_KEY_BASE, LEAD_ROWS
from newsdesk.dedup.text import shingle_hashes
from newsdesk.models import Fingerprint

WORDS = [f"w{i}" for i in range(5000)]


def article(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def test_fingerprint_shape_and_stability() -> None:
    dd = Deduper()
    fp = dd.fingerprint(" ".join(f"word{i} alpha beta" for i in range(40)))
    assert isinstance(fp, Fingerprint)
    assert len(fp.signature) == (128 + LEAD_BANDS * LEAD_ROWS + 1) * 4
    assert int.from_bytes(fp.signature[-4:], "little") == 118  # distinct 3-word shingles
    assert (dd.bands, dd.rows) == lsh_params(0.5, 128) == (25, 5)
    assert len(fp.band_keys) == dd.bands + LEAD_BANDS
    assert all(len(key) == 10 for key in fp.band_keys)
    assert [int.from_bytes(k[:2], "little") for k in fp.band_keys] == [
        *range(dd.bands),
        *range(LEAD_KEY_BASE, LEAD_KEY_BASE + LEAD_BANDS),
    ]
    # Pinned: signatures and band keys live in the store, so they must not drift.
    assert hashlib.sha256(fp.signature[: 128 * 4]).hexdigest() == (
        "94017a5c5ad1545e24220679fb8ab11dabd1daf00c9ab79bc33f68083a46a20b"
    )
    assert fp.band_keys[0].hex() == "0000d7617493719ae79f"


def test_title_is_not_part_of_the_fingerprint() -> None:
    dd = Deduper()
    text = article(1)
    assert (
        dd.fingerprint(text, "One headline")
        == dd.fingerprint(text, "Another")
        == (dd.fingerprint(text))
    )


def test_short_texts_get_no_band_keys_and_never_match() -> None:
    dd = Deduper()
    short = " ".join(WORDS[: MIN_WORDS - 1])
    fp = dd.fingerprint(short)
    assert fp.signature == b""
    assert fp.band_keys == ()
    assert dd.best_match(fp, [(1, dd.fingerprint(article(2)).signature)]) is None
    assert dd.similarity(fp.signature, fp.signature) == 0.0
    # Two one-line summaries that share most words are not near-duplicates...
    assert not dd.is_near_duplicate("Storm hits the coast tonight", "Storm hits the coast today")
    # ...but identical ones still are, through the exact hash.
    assert dd.is_near_duplicate("Storm hits the coast.", "storm hits the COAST")
    assert len(dd.fingerprint(" ".join(WORDS[:MIN_WORDS])).band_keys) == dd.bands + LEAD_BANDS


def test_similarity_estimates_jaccard() -> None:
    dd = Deduper()
    a = article(3, 400)
    words = a.split()
    b = " ".join(words[:300])  # the last quarter trimmed
    exact = len(set(shingle_hashes(b, 3))) / len(set(shingle_hashes(a, 3)))  # b's set is in a's
    sig_a, sig_b = dd.fingerprint(a).signature, dd.fingerprint(b).signature
    assert dd.similarity(sig_a, sig_a) == 1.0
    assert abs(dd.similarity(sig_a, sig_b) - exact) < 0.1  # 128 permutations: sd about 0.04
    assert dd.similarity(sig_a, dd.fingerprint(article(4, 400)).signature) < 0.1
    assert dd.is_near_duplicate(a, b)
    assert not dd.is_near_duplicate(a, article(4, 400))
    with pytest.raises(ValueError, match="not comparable"):
        dd.similarity(sig_a, sig_a[:-8])
    # a signature stored before the lead and the count existed still compares on its MinHash
    assert dd.similarity(sig_a, sig_a[: 128 * 4]) == 1.0


def test_best_match_picks_highest_above_threshold() -> None:
    dd = Deduper(threshold=0.5)
    base = article(5, 400).split()
    fp = dd.fingerprint(" ".join(base))
    close = dd.fingerprint(" ".join(base[:390])).signature
    farther = dd.fingerprint(" ".join(base[:250])).signature
    unrelated = dd.fingerprint(article(6, 400)).signature
    assert dd.best_match(fp, []) is None
    assert dd.best_match(fp, [(9, unrelated)]) is None
    match = dd.best_match(fp, [(3, farther), (7, close), (9, unrelated)])
    assert match is not None and match[0] == 7 and match[1] >= 0.9
    # ties go to the older (lower) id, whatever the order
    assert dd.best_match(fp, [(8, close), (4, close)]) == (4, match[1])
    # a signature of another num_perm is skipped, not compared
    assert dd.best_match(fp, [(2, close[:-8])]) is None


def test_a_lead_only_copy_is_a_near_duplicate_by_containment() -> None:
    dd = Deduper(threshold=0.35)
    words = article(11, 600).split()
    whole = " ".join(words)
    jaccard_only = Deduper(threshold=0.5, containment=None)
    assert not jaccard_only.is_near_duplicate(whole, " ".join(words[:180]))
    for share in (0.3, 0.5, 0.7):
        lead = " ".join(words[: int(600 * share)])
        jaccard = dd.similarity(dd.fingerprint(whole).signature, dd.fingerprint(lead).signature)
        assert jaccard < share + 0.1  # Jaccard alone sees only the share of the length
        assert dd.is_near_duplicate(whole, lead)
        # the lead's own buckets bring the copy to its original
        assert set(dd.fingerprint(whole).band_keys) & set(dd.fingerprint(lead).band_keys)
    # the same lead over another ending is not a copy of either whole text
    other = " ".join(words[:100] + article(12, 500).split())
    assert not dd.is_near_duplicate(whole, other)
    # an old signature (text MinHash only) is judged by Jaccard alone
    lead_sig = dd.fingerprint(" ".join(words[:150])).signature
    assert dd.score(dd.fingerprint(whole).signature[: 128 * 4], lead_sig) < 0.35


def test_band_keys_bucket_near_duplicates_together() -> None:
    dd = Deduper()
    base = article(7, 500).split()
    a = dd.fingerprint(" ".join(base))
    b = dd.fingerprint("Copyright 2024 The Associated Press. " + " ".join(base[:470]))
    c = dd.fingerprint(article(8, 500))
    assert set(a.band_keys) & set(b.band_keys)
    assert not set(a.band_keys) & set(c.band_keys)
    assert dd.band_keys(a.signature) == a.band_keys
    assert Deduper(threshold=0.8).band_keys(a.signature) != a.band_keys


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        Deduper(threshold=0.0)
    with pytest.raises(ValueError, match="too small"):
        Deduper(num_perm=1)
    with pytest.raises(ValueError, match="containment"):
        Deduper(containment=1.5)
