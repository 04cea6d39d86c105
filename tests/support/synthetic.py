"""Synthetic stores written through the real store code, no models: stories of any size with
sightings, near-duplicates, briefs, tags and entities, for the read-model, query-count and
size tests (enrichment would take minutes for what this writes in seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.models import (
    Brief,
    Cite,
    Fingerprint,
    Line,
    NewArticle,
    Sighting,
    SourceAngle,
    WhoEntry,
)
from newsdesk.store import Repo, Store, StoryRow
from newsdesk.web.app import create_app

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
ENTITY = "Joe Quimby"
TAG = "#Bridge"


@dataclass(frozen=True)
class Built:
    story_ids: list[int]
    article_ids: list[int]  # canonical articles, every story's in order
    duplicate_ids: list[int]  # near-duplicates kept with their text
    source: str  # a publisher with articles in every story


def _article(n: int, story: int, source: str, published: datetime | None) -> NewArticle:
    return NewArticle(
        source=source,
        title=f"Story {story}: the bridge vote, report {n}",
        text=f"Report {n} on story {story}. The council met on Monday. The bridge opens soon.",
        fingerprint=Fingerprint(content_hash=f"synthetic-{n}", signature=b"", band_keys=()),
        url=f"https://news{n % 7}.example/{story}/{n}",
        published=published,
        lang="en",
    )


def _brief(article_ids: list[int], sources: list[str]) -> Brief:
    cites = tuple(Cite(0, a) for a in article_ids[:3])
    return Brief(
        lang="en",
        summary=(Line("The council voted on the bridge.", cites),),
        key_points=(Line("The bridge opens next year.", cites[:1]),),
        who=(WhoEntry(ENTITY, "PERSON", "mayor", 2, cites[:1]),),
        hashtags=(TAG, "#Springfield"),
        angles=tuple(SourceAngle(s, (Line(f"Only {s} says so.", cites[:1]),)) for s in sources[:2]),
    )


def build_stories(
    repo: Repo, stories: int, per_story: int, *, article_briefs: bool = True, first_id: int = 0
) -> Built:
    """stories stories of per_story canonical articles (plus one near-duplicate and two more
    sightings each), over five publishers, written with the store's batch writes in the caller's
    transaction. Every story has a brief; every article too (and tags and entities) unless
    article_briefs is False (a 10,000-article story needs none to be measured)."""
    publishers = ["Daily Planet", "Gotham Gazette", "Springfield Shopper", "Metro Wire", "Bugle"]
    story_ids: list[int] = []
    canonical: list[int] = []
    duplicates: list[int] = []
    n = first_id
    for s in range(stories):
        new: list[NewArticle] = []
        for i in range(per_story):
            n += 1
            published = None if i % 10 == 9 else NOW - timedelta(hours=i % 48, minutes=n % 60)
            new.append(_article(n, s, publishers[i % len(publishers)], published))
        members = repo.insert_articles(new)
        repo.add_sightings(
            [
                (i, Sighting(a.source, a.url, None, NOW, a.published))
                for i, a in zip(members, new, strict=True)
            ]
        )
        first = story_id = members[0]
        n += 1
        copy = repo.insert_article(_article(n, s, "Copycat News", NOW), duplicate_of=first)
        repo.add_sightings(
            [
                (first, Sighting("Wire Copy", f"https://wire.example/{n}", "Wire", NOW, NOW)),
                (first, Sighting("Copycat News", None, "Copy", NOW, NOW, ref=f"copy-{n}")),
            ]
        )
        duplicates.append(copy)
        repo.upsert_story(StoryRow(id=story_id, title=f"Story {s}", size=per_story))
        repo.link_new_articles(
            story_id, members, similarity=0.8, shared_entities=[ENTITY], reason="similar"
        )
        if article_briefs:
            for article_id in members:
                repo.save_brief(_brief([article_id], publishers), article_id=article_id)
                repo.save_tags(article_id, [TAG, "#Springfield"], [(ENTITY, "PERSON")])
        repo.save_brief(_brief(members, publishers), story_id=story_id)
        story_ids.append(story_id)
        canonical.extend(members)
    return Built(story_ids, canonical, duplicates, publishers[0])


def sqlite_stories(folder: Path, stories: int = 3, size: int = 7) -> tuple[Path, Built]:
    """A SQLite file in folder holding build_stories(stories, size)."""
    db = folder / "news.db"
    with Store.open(f"sqlite:///{db}") as opened, opened.transaction() as repo:
        built = build_stories(repo, stories, size)
    return db, built


@contextmanager
def plain_client(db: Path) -> Iterator[TestClient]:
    """The app over db as the read-model tests see it: no enrichment, no page cache."""
    settings = Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0)
    with TestClient(create_app(settings)) as client:
        yield client
