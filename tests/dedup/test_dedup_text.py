"""normalize_text and the exact content hash."""

from __future__ import annotations

import hashlib

import pytest

from newsdesk.dedup import content_hash, normalize_text
from newsdesk.dedup.text import shingle_hashes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello,  World!", "hello world"),
        ("  \n\tTabs\tand\nlines  ", "tabs and lines"),
        ('“Curly” quotes and "straight" ones', "curly quotes and straight ones"),
        ("Don’t vs don't", "don t vs don t"),
        ("ＦＵＬＬＷＩＤＴＨ ﬁ ligature", "fullwidth fi ligature"),
        ("Straße STRASSE", "strasse strasse"),
        ("em—dash, en–dash - hyphen", "em dash en dash hyphen"),
        ("$2. 6-million (AP) …", "$2 6 million ap"),
        ("", ""),
        ("?!.,;", ""),
        ("日本語のテキスト。", "日本語のテキスト"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_content_hash_is_sha256_of_normalized_text() -> None:
    # Pinned: stored hashes must stay valid across releases.
    assert content_hash("Hello, World!") == hashlib.sha256(b"hello world").hexdigest()
    assert content_hash("  HELLO   world. ") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello worlds")


def test_shingle_hashes_are_position_independent_and_distinct() -> None:
    text = "the quick brown fox jumps over the quick brown fox"
    hashes = shingle_hashes(text, 3)
    words = text.split()
    singles = {int(shingle_hashes(" ".join(words[i : i + 3]), 3)[0]) for i in range(len(words) - 2)}
    assert set(hashes.tolist()) == singles
    assert len(hashes) == 6  # 8 runs, "the quick brown" and "quick brown fox" twice
    assert len(shingle_hashes("two words", 3)) == 1
    assert len(shingle_hashes("", 3)) == 0
