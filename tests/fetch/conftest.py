"""A real HTTP server on 127.0.0.1 per test, with routes the test sets, recording what it got."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from localserver import LocalServer, running_server
from newsdesk.config import Settings
from newsdesk.fetch import Fetcher


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def settings() -> Settings:
    """Open to loopback (the test server), quick, no politeness delay unless a test asks."""
    return Settings(
        allow_private_networks=True,
        per_host_delay=0.0,
        connect_timeout=2.0,
        read_timeout=5.0,
        total_timeout=5.0,
        retries=2,
        backoff=0.01,
        max_bytes=1024 * 1024,
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(settings: Settings, sleeps: list[float]) -> Iterator[Fetcher]:
    """A Fetcher whose sleeps are recorded, not slept."""
    with Fetcher(settings, sleep=sleeps.append) as f:
        yield f
