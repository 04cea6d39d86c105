"""Values the pages derive from the store, kept a few seconds per process: what StoryRanking
does for the front page, for the other reads that move only when something is stored.

A page for a reader is rendered afresh for every request (the page cache aside), but most of
what it shows is the same for every reader until something is ingested: the story and article
read models, a story's card, chart and cited sources, related articles (a dozen queries over
tags, entities and vectors: most of an article page's time), search hits, a page of the API's
article list with its pictures, the totals of the API lists (a count over every article). Each
is kept `ttl` seconds under its key (as the ranking, so what another process stores shows within
that time; a story card's key also holds when its story last changed), and all are dropped at
once when this process hears of news (`expire`, from create_app's news hook). What a reader
writes is never kept: comments, accounts, sessions and the CSRF token are read for every
request, so a comment shows at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from newsdesk import read
from newsdesk.read import StoryCard
from newsdesk.store import Repo, StorySummary
from newsdesk.web.ranking import TTL_SECONDS

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
CARD = "card"
CardKey = tuple[str, int, datetime | None]  # (CARD, story id, when the story last changed)
MAX_ENTRIES = 20_000  # a related list is about 2 KB: 40 MB at most


class Derived:
    """A thread-safe, time-limited LRU of derived values."""

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._generation = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under key while it is fresh, else compute() (kept from now on). A
        value computed while news arrived is returned but not kept."""
        now = self._clock()
        with self._lock:
            kept = self._values.get(key)
            if kept is not None and kept[0] > now and kept[1] == self._generation:
                self._values.move_to_end(key)
                value: T = kept[2]
                return value
            generation = self._generation
        value = compute()  # outside the lock: other keys are served meanwhile
        with self._lock:
            if generation == self._generation:
                self._values[key] = (now + self._ttl, generation, value)
                self._values.move_to_end(key)
                while len(self._values) > self._max:
                    self._values.popitem(last=False)
        return value

    def get_many(
        self, keys: Sequence[K], compute: Callable[[list[K]], Mapping[K, T]]
    ) -> dict[K, T]:
        """The fresh values kept under keys, the others read at once by compute(missing) (kept
        from now on; a key compute leaves out is left out)."""
        now = self._clock()
        found: dict[K, T] = {}
        with self._lock:
            generation = self._generation
            for key in keys:
                kept = self._values.get(key)
                if kept is not None and kept[0] > now and kept[1] == generation:
                    self._values.move_to_end(key)
                    found[key] = kept[2]
        missing = [key for key in keys if key not in found]
        if missing:
            computed = compute(missing)
            found.update(computed)
            with self._lock:
                if generation == self._generation:
                    for key, value in computed.items():
                        self._values[key] = (now + self._ttl, generation, value)
                        self._values.move_to_end(key)
                    while len(self._values) > self._max:
                        self._values.popitem(last=False)
        return found

    def expire(self) -> None:
        """Drop everything (news arrived)."""
        with self._lock:
            self._generation += 1
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def story_cards(derived: Derived, repo: Repo, rows: Sequence[StorySummary]) -> list[StoryCard]:
    """read.story_cards for ranked stories, each card kept per story version (its id and when
    it last changed): only the stories not kept are read. What the ranking row says (title,
    publishers, dates) is always the row's."""
    keys: dict[int, CardKey] = {s.id: (CARD, s.id, s.changed_at) for s in rows}

    def read_missing(missing: list[CardKey]) -> dict[CardKey, StoryCard]:
        wanted = {key[1] for key in missing}
        cards = read.story_cards(repo, [s for s in rows if s.id in wanted])
        return {keys[card.id]: card for card in cards}

    kept = derived.get_many(list(keys.values()), read_missing)
    return [
        replace(
            kept[keys[s.id]],
            title=s.title,
            sources=s.sources,
            first_seen=s.first_seen,
            last_seen=s.last_seen,
            section=s.section,
            nation=s.nation,
        )
        for s in rows
        if keys[s.id] in kept
    ]
