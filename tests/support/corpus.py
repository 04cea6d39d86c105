"""Where the shared corpus is, and how to read it."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
SEED = CORPUS.parent / "seed" / "000_32f1342b32ee1c9c.txt"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "pages" / "index.jsonl").exists(),
    reason="the shared corpus is not beside the repo",
)


def iter_pages(source: str | None = None) -> Iterator[tuple[dict[str, Any], bytes, dict[str, Any]]]:
    """(index row, raw HTML bytes, expected JSON) for each corpus page."""
    index = CORPUS / "pages" / "index.jsonl"
    if not index.exists():
        return
    with index.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    for meta in rows:
        if source and meta["source_dataset"] != source:
            continue
        raw = gzip.decompress((CORPUS / "pages" / meta["html"]).read_bytes())
        expected = json.loads((CORPUS / "pages" / meta["expected"]).read_text(encoding="utf-8"))
        yield meta, raw, expected


def feed_rows() -> list[dict[str, Any]]:
    index = CORPUS / "feeds" / "index.jsonl"
    if not index.exists():
        return []
    with index.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def feed_bytes(row: dict[str, Any]) -> bytes:
    data = (CORPUS / "feeds" / row["path"]).read_bytes()
    return gzip.decompress(data) if row["path"].endswith(".gz") else data
