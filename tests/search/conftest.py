"""The hybrid search tests' store: a dozen ECB+ articles of three events, built once by the
real pipeline (extraction, MiniLM vectors, stories)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.pipeline import collect

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT / ".." / "shared" / "corpus")).resolve()
ECB = CORPUS / "stories" / "ecbplus_articles.jsonl"
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
# Three events, four articles each: two rehab stories of one topic (Tara Reid, Lindsay Lohan)
# and a navy that foils a pirate attack; each article gets its own source and day.
EVENTS = {"ecb01-a": 4, "ecb01-b": 4, "ecb12-b": 4}
PARAPHRASE = "actress enters addiction treatment facility"  # no article has every one of these


@dataclass(frozen=True)
class Built:
    settings: Settings
    folder: Path
    events: dict[int, str]  # article id -> ECB+ event


def _records() -> list[dict[str, object]]:
    taken: dict[str, int] = {}
    out: list[dict[str, object]] = []
    for line in ECB.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        event = row["event_id"]
        if taken.get(event, EVENTS.get(event, 0)) <= 0 or event not in EVENTS:
            continue
        taken[event] = taken.get(event, EVENTS[event]) - 1
        n = len(out)
        out.append(
            {
                "url": f"https://example.org/{row['id']}",
                "title": row["title"],
                "text": row["text"],
                "published": f"2025-05-{n + 1:02d}T10:00:00+00:00",
                "source": f"Source {n}",
                "lang": "en",
                "event": event,
            }
        )
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("hybrid")
    records = _records()
    path = folder / "ecb.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    settings = Settings(db=str(folder / "news.db"), workers=1)
    with build(settings) as app:
        batch = collect([path], NOW)
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
        assert not report.failures, report.failures
        with app.store.transaction(readonly=True) as repo:
            by_url = {a.url: a.id for a in repo.get_articles(list(report.new_ids))}
    events = {by_url[str(r["url"])]: str(r["event"]) for r in records}
    return Built(settings, folder, events)
