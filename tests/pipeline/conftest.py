"""A fresh SQLite store and an app per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from localserver import loopback_settings
from newsdesk.app import App, build
from newsdesk.config import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # enrich off: stories and briefs have their own tests (test_pipeline_stories.py)
    return loopback_settings(db=str(tmp_path / "news.db"))


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    with build(settings) as built:
        yield built
