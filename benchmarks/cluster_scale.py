"""Cost of place() + join() as the archive grows: 10^3, 10^4 and 10^5 articles already placed.

Run: .venv/bin/python benchmarks/cluster_scale.py
Synthetic data: unit vectors around topic centres (about 5 articles per story), 0-4 random
entities from a pool of 5,000, and a steady 100,000 articles a year (one every 5.3 minutes, so
10^5 articles span a year), window 7 days. One index grows, with a regroup() after every 16
articles as the pipeline calls it once per run; when it holds 10^3, 10^4 and 10^5 articles,
2,000 further place() + join()/start() calls are timed, then 2,000 more with their regroup()
calls counted in.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np

from newsdesk.cluster import StoryIndex

DIM = 384
YEAR = timedelta(days=365)
START = datetime(2024, 1, 1, tzinfo=UTC)
SIZES = (1_000, 10_000, 100_000)
PROBES = 2_000
REGROUP_EVERY = 16
POOL = [f"entity-{i}" for i in range(5_000)]


class Feed:
    """Deterministic synthetic articles: each story's articles sit near one centre."""

    def __init__(self, per_year: int, seed: int = 20240601) -> None:
        self.rng = np.random.default_rng(seed)
        self.per_year = per_year
        self.story_centres: list[np.ndarray] = []

    def article(self, i: int) -> tuple[np.ndarray, frozenset[str], datetime]:
        when = START + YEAR * (i / self.per_year)
        if not self.story_centres or self.rng.random() < 0.2:  # about 5 articles per story
            self.story_centres.append(_unit(self.rng.normal(size=DIM)))
        centre = self.story_centres[-1 - int(self.rng.integers(0, min(3, len(self.story_centres))))]
        vector = _unit(centre + self.rng.normal(scale=0.03, size=DIM))
        names = self.rng.choice(len(POOL), size=int(self.rng.integers(0, 5)), replace=False)
        return vector.astype(np.float32), frozenset(POOL[n] for n in names), when


def place_one(index: StoryIndex, feed: Feed, i: int, next_id: list[int]) -> None:
    vector, entities, when = feed.article(i)
    placed = index.place(vector, entities, when)
    if placed.story_id is None:
        index.start(next_id[0], vector, entities, when)
        next_id[0] += 1
    else:
        index.join(placed.story_id, vector, entities, when)


def live_stories(index: StoryIndex, upto: int, now: datetime) -> int:
    """Stories whose last article is at most 7 days before now."""
    recent = (index.get(s).last_seen for s in range(1, upto) if s in index)
    return sum(1 for t in recent if t is not None and now - t <= timedelta(days=7))


def main() -> None:
    print(
        "| articles placed | stories | stories in the last 7 days | ms per place()+join() "
        "| ms per article with regroup() every 16 |"
    )
    print("|---|---|---|---|---|")
    feed = Feed(per_year=SIZES[-1])
    index = StoryIndex()
    next_id = [1]
    placed = 0
    for size in SIZES:
        while placed < size:
            place_one(index, feed, placed, next_id)
            placed += 1
            if placed % REGROUP_EVERY == 0:
                index.regroup()
        index.regroup()
        live = live_stories(index, next_id[0], START + YEAR * (placed / SIZES[-1]))
        start = time.perf_counter()
        for _ in range(PROBES):
            place_one(index, feed, placed, next_id)
            placed += 1
        ms = 1000 * (time.perf_counter() - start) / PROBES
        stories = len(index)
        index.regroup()
        start = time.perf_counter()
        for _ in range(PROBES):
            place_one(index, feed, placed, next_id)
            placed += 1
            if placed % REGROUP_EVERY == 0:
                index.regroup()
        with_regroup = 1000 * (time.perf_counter() - start) / PROBES
        print(f"| {size:,} | {stories:,} | {live:,} | {ms:.3f} | {with_regroup:.3f} |")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


if __name__ == "__main__":
    main()
