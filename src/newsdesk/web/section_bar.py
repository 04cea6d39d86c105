"""The section bar of the site header: each section (then each country) that has stories.

Read from the store at most every TTL_SECONDS per process and dropped when news arrive, like
the ranking; a page asks for it while it renders (a template global), so the first page after
an expiry pays one small grouped query on a connection of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from newsdesk.section_names import SECTIONS, slug
from newsdesk.store import Store

TTL_SECONDS = 15.0
MAX_NATIONS = 8  # countries shown after the sections, the most covered first


@dataclass(frozen=True, slots=True)
class SectionLink:
    name: str
    href: str


class SectionBar:
    """A time-limited copy of the sections and countries that have stories; thread-safe."""

    def __init__(
        self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._expires = 0.0

    def expire(self) -> None:
        with self._lock:
            self._expires = 0.0

    def counts(self, store: Store) -> dict[str, int]:
        """Stories per section and per country."""
        with self._lock:
            if self._clock() >= self._expires:
                with store.transaction(readonly=True) as repo:
                    self._counts = repo.section_counts()
                self._expires = self._clock() + self._ttl
            return self._counts

    def links(self, store: Store) -> list[SectionLink]:
        """The sections in their fixed order, then the most covered countries."""
        counts = self.counts(store)
        names = [s for s in SECTIONS if counts.get(s)]
        nations = sorted((n for n in counts if n not in SECTIONS), key=lambda n: (-counts[n], n))
        return [SectionLink(n, f"/section/{slug(n)}") for n in names + nations[:MAX_NATIONS]]

    def name_of(self, store: Store, wanted: str) -> str | None:
        """The section or country a /section/ path names (its slug or its name), else None."""
        key = slug(wanted)
        return next((n for n in [*SECTIONS, *self.counts(store)] if slug(n) == key), None)


def section_bar(request: Request) -> list[SectionLink]:
    """Template global: the bar's links, none where the app keeps no bar (a bare template)."""
    bar: SectionBar | None = getattr(request.app.state, "sections", None)
    newsdesk = getattr(request.app.state, "newsdesk", None)
    if bar is None or newsdesk is None:
        return []
    return bar.links(newsdesk.store)
