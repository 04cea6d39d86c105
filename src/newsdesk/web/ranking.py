"""The front-page ranking, shared by the pages, the API and the Atom feed, recomputed at most
every few seconds: ranking counts the distinct sources of every story, the costliest query a
page makes, and the ranking moves only when something is ingested or, slowly, as the freshness
bonus of recent coverage fades (repo.list_stories: the one ranking, the CLI's too)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from newsdesk.store import Repo, StorySummary

TTL_SECONDS = 15.0  # how stale the front page may be after an ingest
DEPTH = 400  # stories kept: 20 pages of the front page; deeper pages query the store


class StoryRanking:
    """A time-limited copy of the top of repo.list_stories(); thread-safe."""

    def __init__(
        self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._rows: list[StorySummary] = []
        self._expires = 0.0

    def expire(self) -> None:
        """Recompute on the next read (new articles arrived)."""
        with self._lock:
            self._expires = 0.0

    def page(self, repo: Repo, *, limit: int, offset: int = 0) -> list[StorySummary]:
        """Stories [offset, offset + limit) of the ranking."""
        if offset + limit > DEPTH:
            return repo.list_stories(limit=limit, offset=offset)
        with self._lock:
            if self._clock() >= self._expires:
                self._rows = repo.list_stories(limit=DEPTH)
                self._expires = self._clock() + self._ttl
            return self._rows[offset : offset + limit]
