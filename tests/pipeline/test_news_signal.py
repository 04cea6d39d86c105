"""An ingest that stores news tells every process sharing Redis (their kept pages turn stale);
one that stores nothing new, or runs without redis_url, says nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from newsdesk.app import build, news_signal
from newsdesk.config import Settings
from newsdesk.pipeline import collect
from newsdesk.shared.news import GENERATION
from support.pages import NOW
from support.redis_keys import REDIS_URL, fresh_prefix

pytestmark = pytest.mark.redis


@pytest.fixture
def prefix() -> Iterator[str]:
    with fresh_prefix() as fresh:
        yield fresh


def _feed(path: Path) -> Path:
    record = {
        "url": "https://example.org/news/1",
        "title": "Harbour bridge reopens after repairs",
        "text": "The harbour bridge reopened on Monday after two months of repairs. " * 8,
        "published": "2025-06-02T10:00:00+00:00",
        "source": "Example Times",
        "lang": "en",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_news_bumps_the_shared_generation_once_per_run(tmp_path: Path, prefix: str) -> None:
    settings = Settings(
        db=str(tmp_path / "news.db"), workers=1, enrich=False, redis_url=REDIS_URL,
        redis_prefix=prefix,
    )  # fmt: skip
    client = redis.Redis.from_url(REDIS_URL)
    try:
        with build(settings) as app:
            for _ in range(2):  # the second run stores nothing new
                batch = collect([_feed(tmp_path / "feed.jsonl")], NOW)
                report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
                assert not report.failures
        assert client.get(f"{prefix}{GENERATION}") == b"1"
    finally:
        client.close()


def test_no_redis_no_signal() -> None:
    assert news_signal(Settings()) is None
