"""Every corpus feed with an expected output, every real-world feed, every sanitize case."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from sources_checks import assert_safe

from newsdesk.errors import FeedError
from newsdesk.sanitize import one_line
from newsdesk.sources import parse_feed
from support.corpus import CORPUS, feed_bytes, feed_rows, needs_corpus

pytestmark = needs_corpus


ROWS = feed_rows()
EXPECTED = [r for r in ROWS if r.get("expected")]
REAL = [r for r in ROWS if r["kind"].startswith("real-world")]
SANITIZE = [r for r in ROWS if r.get("category") == "wellformed/sanitize"]
# Real-world files that are broken on purpose: a FeedError is the right answer.
MUST_FAIL = {"netnewswire/allthis-partial.json": "truncated JSON Feed"}
# Failures accepted against the expected outputs, with the reason. None at present: the three
# rss-parser outputs that were decoded with the wrong charset are matched by `_same` below.
ACCEPTED_EXPECTED_FAILURES: dict[str, str] = {}
SCRIPT = re.compile(r"<\s*script", re.I)
TAG = re.compile(r"<[^>]*>")
UNSAFE_IN_TAG = re.compile(
    r"javascript:|vbscript:|data:|\son\w+\s*=|<\s*(script|iframe|object)", re.I
)


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    raw = (CORPUS / "feeds" / row["expected"]).read_bytes()
    if row["expected"].endswith(".gz"):
        raw = gzip.decompress(raw)
    # Some rss-parser outputs hold bytes decoded with the wrong charset: read them leniently.
    doc = json.loads(raw.decode("utf-8", errors="replace"))
    return doc["feed"] if isinstance(doc.get("feed"), dict) else doc


def _norm(value: str | None) -> str:
    return " ".join((one_line(value) or "").split()) if value else ""


def _same(ours: str | None, expected: str | None) -> bool:
    """Equal after normalizing; U+FFFD in the expected text (a charset mix-up there) matches any."""
    mine, theirs = _norm(ours), _norm(expected)
    if "\ufffd" not in theirs:
        return mine == theirs
    pattern = ".+?".join(re.escape(part) for part in re.split("\ufffd+", theirs))
    return re.fullmatch(pattern, mine) is not None


@pytest.mark.parametrize("row", EXPECTED, ids=[r["path"] for r in EXPECTED])
def test_matches_expected_output(row: dict[str, Any]) -> None:
    if row["path"] in ACCEPTED_EXPECTED_FAILURES:
        pytest.xfail(ACCEPTED_EXPECTED_FAILURES[row["path"]])
    expected = _expected(row)
    parsed = parse_feed(feed_bytes(row))
    items = expected.get("items") or []
    assert len(parsed.items) == len(items)
    assert _same(parsed.title, expected.get("title"))
    for ours, theirs in zip(parsed.items, items, strict=True):
        assert _same(ours.title, theirs.get("title"))
        link = (theirs.get("link") or "").strip()
        if link.startswith(("http://", "https://")):
            assert ours.url == link


@pytest.mark.parametrize("row", REAL, ids=[r["path"] for r in REAL])
def test_real_world_feed_parses_safely(row: dict[str, Any]) -> None:
    data = feed_bytes(row)
    if row["path"] in MUST_FAIL:
        with pytest.raises(FeedError, match="truncated"):
            parse_feed(data, url="https://example.com/feed")
        return
    parsed = parse_feed(data, url="https://example.com/feed")
    assert parsed.items
    assert_safe(parsed)


def test_real_world_count() -> None:
    assert len(REAL) >= 100
    assert len(EXPECTED) >= 130


@pytest.mark.parametrize("row", SANITIZE, ids=[r["path"].rsplit("/", 1)[-1] for r in SANITIZE])
def test_sanitize_cases_leave_nothing_executable(row: dict[str, Any]) -> None:
    assert_safe(parse_feed(feed_bytes(row), url="http://example.com/feed.xml"))
