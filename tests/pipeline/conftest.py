"""A fresh SQLite store and an app per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.app import App, build
from newsdesk.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db=str(tmp_path / "news.db"),
        allow_private_networks=True,
        per_host_delay=0.0,
        connect_timeout=2.0,
        read_timeout=3.0,
        total_timeout=5.0,
        retries=0,
        backoff=0.01,
        workers=1,
        enrich=False,  # stories and briefs have their own tests: test_pipeline_stories.py
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    with build(settings) as built:
        yield built
