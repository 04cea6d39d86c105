"""Story-store timings at scale (not a test): python benchmarks/story_store.py [URL] [N].

Fills a store with N synthetic canonical articles in N/10 stories (vectors, tags, entities,
links), then times the calls the pipeline and the web make. Default: a temporary SQLite file.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsdesk.models import Brief, Fingerprint, NewArticle
from newsdesk.store import Store, StoryRow

T0 = datetime(2024, 5, 1, tzinfo=UTC)
SOURCES = [f"Source {i}" for i in range(40)]
TAGS = [f"tag{i}" for i in range(300)]
NAMES = [f"Entity {i}" for i in range(2000)]


def timed(label: str, fn: Callable[[], object], repeat: int = 1) -> object:
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    ms = (time.perf_counter() - start) * 1000 / repeat
    print(f"{label:<44} {ms:10.2f} ms")
    return result


def fill(store: Store, n: int, rng: np.random.Generator) -> list[int]:
    ids: list[int] = []
    with store.transaction() as repo:
        for i in range(n):
            fp = Fingerprint(uuid.uuid4().hex, b"\0" * 512, ())
            published = T0 + timedelta(minutes=int(rng.integers(0, 60 * 24 * 30)))
            article = NewArticle(
                title=f"Article {i}",
                text=f"Text of article {i}.",
                fingerprint=fp,
                source=SOURCES[int(rng.integers(0, len(SOURCES)))],
                published=published,
            )
            ids.append(repo.insert_article(article))
    return ids


def main(url: str, n: int) -> None:
    rng = np.random.default_rng(1)
    with Store.open(url) as store:
        ids = timed(f"insert {n} articles (one transaction)", lambda: fill(store, n, rng))
        assert isinstance(ids, list)
        vectors = rng.standard_normal((n, 384)).astype(np.float32)
        stories = ids[::10]

        def enrich() -> None:
            with store.transaction() as repo:
                for k, article in enumerate(ids):
                    story = stories[k // 10]
                    if story == article:
                        repo.upsert_story(
                            StoryRow(story, "t", vectors[k], 10, {"x": 1}, T0, T0 + timedelta(k))
                        )
                    repo.save_vector(article, vectors[k], "minilm")
                    repo.link_article(
                        article, story, similarity=0.7, shared_entities=["x"], reason="bench"
                    )
                    tags = rng.choice(TAGS, 5, replace=False).tolist()
                    names = rng.choice(NAMES, 8, replace=False).tolist()
                    repo.save_tags(article, tags, [(name, "ORG") for name in names])
                    repo.save_brief(Brief(lang="en"), article_id=article)

        timed(f"vector+link+tags+brief for {n} (per all)", enrich)
        with store.transaction(readonly=True) as repo:
            timed("list_stories(limit=20)", lambda: repo.list_stories(), repeat=5)
            timed("active_stories(None) all", lambda: repo.active_stories(None), repeat=3)
            timed("get_vectors(1000)", lambda: repo.get_vectors(ids[:1000]), repeat=5)
            tags, ents = repo.tags_of(ids[5])
            names = [name for name, _ in ents]
            timed(
                "related_candidates(5 tags, 8 entities)",
                lambda: repo.related_candidates(ids[5], tags=tags, entities=names),
                repeat=20,
            )
            timed("story_members(10 articles)", lambda: repo.story_members(stories[3]), repeat=20)
            timed("story_of", lambda: repo.story_of(ids[7]), repeat=200)
            timed("articles_without_brief", lambda: repo.articles_without_brief(), repeat=5)
        with store.transaction() as repo:
            timed("merge_stories", lambda: repo.merge_stories(stories[0], stories[1]))


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args[1]) if len(args) > 1 else 10_000
    if args and args[0] != "-":
        main(args[0], count)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(f"sqlite:///{Path(tmp) / 'bench.db'}", count)
