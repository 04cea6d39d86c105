"""The sample store behind the page and browser tests: seed page, ECB+ stories, hostile item."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sample" / "aggregator-page.txt"
ECB = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
XSS = "<script>alert(1)</script>"


@dataclass(frozen=True)
class PagesData:
    settings: Settings
    seed_ids: list[int]  # the seed page's articles: the main article first
    hostile_id: int


def ecb_stories(path: Path) -> Path:
    """The first dozen ECB+ articles, written to path as JSON lines."""
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(json.dumps(r) for r in rows[:12]) + "\n", encoding="utf-8")
    return path
