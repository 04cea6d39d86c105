"""How long a reader's own reads take at 100,000 articles (not a test).

    .venv/bin/python benchmarks/for_you_scale.py [--n 100000] [--db PATH] [--repeat 20]

Builds (once; --db keeps it) a SQLite store of n articles in stories of 1-20 articles (uniform,
seed 7), written with SQLAlchemy Core executemany, no pipeline: article i is published i
minutes after 2024-01-01 by one of 200 sources (Zipf-like: source k has weight 1/(k+1)), names
3 of 2,000 entities and carries 3 of 500 tags, each drawn with weight 1/(rank+1), so the common
ones ("Entity 0", "#Tag0") are named by thousands of articles, like "United States"; stories
get one of 8 sections. Then times, in one read transaction (median and max of --repeat runs):

- followed_summaries (the /for-you page and the digests) for a reader following 10 keys: 3
  entities, 3 tags (common and rare), 2 sources, 1 section, with 2 mutes;
- muted_among on the front page's top 400 stories (what a reader with mutes adds to the front
  and section pages) and on one page (41 rows);
- card_marks' two queries (read and saved state) for a page of 20 cards.

Saved searches are left out (full text is the search benchmark's: docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from newsdesk.read.for_you import followed_summaries, muted_among
from newsdesk.store import Store
from newsdesk.store.schema import article_entities, article_tags, articles, stories, story_articles

START = datetime(2024, 1, 1, tzinfo=UTC)
SOURCES, ENTITIES, TAGS = 200, 2000, 500
SECTIONS = ("World", "Politics", "Business", "Technology", "Science", "Health", "Sports", "Arts")
CHUNK = 5000


def _zipf(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1)
    return rng.choice(n, size=size, p=weights / weights.sum())


def build(db: Path, n: int) -> None:
    rng = np.random.default_rng(7)
    sources = _zipf(rng, SOURCES, n)
    names = _zipf(rng, ENTITIES, 3 * n).reshape(n, 3)
    tags = _zipf(rng, TAGS, 3 * n).reshape(n, 3)
    sizes = rng.integers(1, 21, size=n)
    with Store.open(f"sqlite:///{db}") as store:
        story_of = np.zeros(n, dtype=np.int64)
        i = 0
        story_rows = []
        while i < n:
            size = int(min(sizes[i], n - i))
            story_of[i : i + size] = i + 1
            when = START + timedelta(minutes=i)
            story_rows.append(
                {
                    "id": i + 1,
                    "title": f"Story {i + 1}",
                    "size": size,
                    "entities": "{}",
                    "first_seen": when,
                    "last_seen": when,
                    "updated_at": when,
                    "section": SECTIONS[(i // 7) % len(SECTIONS)],
                }
            )
            i += size
        for start in range(0, n, CHUNK):
            with store.transaction() as repo:
                conn = repo._conn
                rows = range(start, min(n, start + CHUNK))
                conn.execute(
                    insert(articles),
                    [
                        {
                            "id": k + 1,
                            "source": f"Source {sources[k]}",
                            "title": f"Article {k + 1}",
                            "text": "Text.",
                            "published": START + timedelta(minutes=k),
                            "lang": "en",
                            "created_at": START + timedelta(minutes=k),
                        }
                        for k in rows
                    ],
                )
                first, last = start + 1, min(n, start + CHUNK)
                conn.execute(insert(stories), [s for s in story_rows if first <= s["id"] <= last])
                conn.execute(
                    insert(story_articles),
                    [
                        {
                            "article_id": k + 1,
                            "story_id": int(story_of[k]),
                            "similarity": 1.0,
                            "shared_entities": json.dumps([]),
                            "reason": "bench",
                            "added_at": START,
                        }
                        for k in rows
                    ],
                )
                conn.execute(
                    insert(article_entities),
                    [
                        {"article_id": k + 1, "name": f"Entity {e}", "type": "PERSON"}
                        for k in rows
                        for e in set(names[k].tolist())
                    ],
                )
                conn.execute(
                    insert(article_tags),
                    [
                        {"article_id": k + 1, "tag": f"#Tag{t}"}
                        for k in rows
                        for t in set(tags[k].tolist())
                    ],
                )
        with store.transaction() as repo:
            reader = repo.create_user("reader", "x", "member", START).id
            follows = [
                ("person", "Entity 0"),
                ("person", "Entity 40"),
                ("person", "Entity 1500"),
                ("tag", "Tag0"),
                ("tag", "Tag30"),
                ("tag", "Tag400"),
                ("source", "Source 0"),
                ("source", "Source 150"),
                ("section", "Science"),
            ]
            for kind, value in follows:
                repo.follow(reader, kind, value, value, START)
            repo.follow(reader, "person", "Entity 3", "Entity 3", START, muted=True)
            repo.follow(reader, "source", "Source 7", "Source 7", START, muted=True)
            # the reader opened 30 stories and saved 10
            for story in story_rows[-60::2]:
                repo.mark_story_read(reader, story["id"], 1, START)
            for story in story_rows[-20::2]:
                repo.save_item(reader, "story", story["id"], START)


def timed(label: str, work: Callable[[], object], repeat: int) -> str:
    """Wall and CPU time of work (this process's CPU: on a busy machine the wall clock also
    counts the time spent waiting for a core)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (
        f"| {label} | {statistics.median(wall):.1f} | {max(wall):.1f} "
        f"| {statistics.median(cpu):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    db = args.db or Path("artifacts/bench") / f"for-you-{args.n}.db"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(db, args.n)
        print(f"built {db} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    with Store.open(f"sqlite:///{db}") as store, store.transaction(readonly=True) as repo:
        user = repo.user_by_name("reader")
        assert user is not None
        mutes = [(f.kind, f.value) for f in repo.follows_of(user.id, muted=True)]
        now = START + timedelta(minutes=args.n)
        top = [s.id for s in repo.list_stories(limit=400, now=now)]
        page = [s.id for s in repo.list_stories(limit=20, now=now)]
        print(
            f"{args.n:,} articles, {repo.count_stories():,} stories;"
            f" median and max of {args.repeat}"
        )
        print("| read | median ms | max ms | median CPU ms |\n| --- | ---: | ---: | ---: |")
        print(
            timed(
                "followed_summaries, 21 rows (10 follows, 2 mutes)",
                lambda: followed_summaries(repo, user.id, limit=21, now=now),
                args.repeat,
            )
        )
        since = now - timedelta(days=7)
        print(
            timed(
                "followed_summaries since a week",
                lambda: followed_summaries(repo, user.id, limit=21, now=now, since=since),
                args.repeat,
            )
        )
        print(
            timed(
                "muted_among the top 400 stories",
                lambda: muted_among(repo, mutes, top),
                args.repeat,
            )
        )
        print(
            timed(
                "muted_among one page (41 rows)",
                lambda: muted_among(repo, mutes, top[:41]),
                args.repeat,
            )
        )
        print(
            timed(
                "read and saved state of 20 cards",
                lambda: (
                    repo.story_reads_of(user.id, page),
                    repo.saved_among(user.id, "story", page),
                ),
                args.repeat,
            )
        )


if __name__ == "__main__":
    main()
