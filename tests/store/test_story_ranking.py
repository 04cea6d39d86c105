"""The ranking columns of stories (0009's triggers) follow every write that changes coverage,
and list_stories ranks from them exactly as the coverage itself would rank."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from newsdesk.models import Sighting
from newsdesk.store import Repo, Store, StoryRow
from newsdesk.store.schema import articles, stories, story_articles
from newsdesk.store.stories import FRESH_BONUS, FRESH_DAYS
from support.store import ArticleFactory

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def _kept(repo: Repo) -> dict[int, tuple[int, datetime | None, datetime | None]]:
    query = select(stories.c.id, stories.c.sources, stories.c.dated_first, stories.c.dated_last)
    return {
        row.id: (row.sources, row.dated_first, row.dated_last) for row in repo._conn.execute(query)
    }


def _counted(repo: Repo) -> dict[int, tuple[int, datetime | None, datetime | None]]:
    ids = [row.id for row in repo._conn.execute(select(stories.c.id))]
    breadth, dates = repo.story_breadths(ids), repo.story_dates(ids)
    return {i: (breadth.get(i, 0), *dates.get(i, (None, None))) for i in ids}


def _publishers(repo: Repo) -> dict[int, list[str]]:
    """Each story's publishers worked out from its coverage here (members and their copies),
    first dated report first, undated last, then by name: what the kept column must give."""
    link = story_articles
    firsts: dict[int, dict[str, float]] = {}
    for on in (articles.c.id, articles.c.duplicate_of):
        query = select(link.c.story_id, articles.c.source, articles.c.published).join(
            articles, on == link.c.article_id
        )
        for story_id, source, published in repo._conn.execute(query):
            when = published.timestamp() if published else math.inf
            known = firsts.setdefault(story_id, {})
            known[source] = min(known.get(source, math.inf), when)
    return {
        story_id: sorted(known, key=lambda name: (known[name], name.casefold(), name))
        for story_id, known in firsts.items()
    }


def _kept_publishers(repo: Repo) -> dict[int, list[str]]:
    return repo.story_publishers([row.id for row in repo._conn.execute(select(stories.c.id))])


def _expected_order(repo: Repo, now: datetime) -> list[int]:
    def key(item: tuple[int, tuple[int, datetime | None, datetime | None]]) -> tuple:
        story_id, (sources, _, last) = item
        fresh = 0.0
        if last is not None:
            age = (now - last).total_seconds() / 86400
            fresh = min(1.0, max(0.0, 1.0 - age / FRESH_DAYS))
        newest = -last.timestamp() if last else float("inf")
        return (-(sources + FRESH_BONUS * fresh), -sources, newest, story_id)

    return [story_id for story_id, _ in sorted(_counted(repo).items(), key=key)]


def test_every_coverage_write_keeps_the_ranking_columns(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        ids = repo.insert_articles(
            [
                make_article(f"A{i}", source=f"Pub {i % 3}", published=NOW - timedelta(days=i))
                for i in range(8)
            ]
            + [make_article("Undated", source="Pub 9", published=None)]
        )
        for story_id in (ids[0], ids[4], ids[8]):
            repo.upsert_story(StoryRow(id=story_id, title=f"S{story_id}"))
        repo.link_new_articles(ids[0], ids[:3], similarity=0.9, reason="bulk")
        for article_id in ids[3:6]:
            repo.link_article(article_id, ids[4], similarity=0.7, shared_entities=[], reason="one")
        repo.link_article(ids[8], ids[8], similarity=1.0, shared_entities=[], reason="lone")
        assert _kept(repo) == _counted(repo)
        assert _kept_publishers(repo) == _publishers(repo)
        # A near-duplicate from a new publisher widens its canonical's story.
        copy = repo.insert_article(
            make_article("Copy", source="Copy Desk", published=NOW + timedelta(hours=1)),
            duplicate_of=ids[1],
        )
        repo.add_sighting(ids[1], Sighting("Copy Desk", None, "Copy", NOW, NOW, ref="c"))
        assert _kept(repo)[ids[0]] == (4, NOW - timedelta(days=2), NOW + timedelta(hours=1))
        assert _kept_publishers(repo)[ids[0]] == ["Pub 2", "Pub 1", "Pub 0", "Copy Desk"]
        # Moving a link counts in both stories; a merge moves them all; an undated story has
        # no dates.
        repo.link_article(ids[5], ids[0], similarity=0.8, shared_entities=[], reason="moved")
        assert _kept(repo) == _counted(repo)
        assert _kept_publishers(repo) == _publishers(repo)
        repo.merge_stories(ids[0], ids[4])
        kept = _kept(repo)
        assert kept == _counted(repo) and ids[4] not in kept
        assert _kept_publishers(repo) == _publishers(repo)
        assert _kept_publishers(repo)[ids[8]] == ["Pub 9"]  # undated: still named
        assert kept[ids[8]] == (1, None, None)
        assert copy not in kept


def test_list_stories_ranks_as_the_coverage_does(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        for s in range(30):
            when = NOW - timedelta(hours=7 * s) if s % 7 else None
            new = [
                make_article(f"S{s} A{k}", source=f"Pub {(s + k) % (1 + s % 6)}", published=when)
                for k in range(1 + s % 5)
            ]
            members = repo.insert_articles(new)
            repo.upsert_story(StoryRow(id=members[0], title=f"S{s}"))
            repo.link_new_articles(members[0], members, similarity=0.9, reason="bulk")
        expected = _expected_order(repo, NOW)
        ranked = [s.id for s in repo.list_stories(limit=100, now=NOW)]
        assert ranked == expected
        pages = [repo.list_stories(limit=7, offset=o, now=NOW) for o in range(0, 35, 7)]
        assert [s.id for page in pages for s in page] == expected
        assert repo.list_stories(limit=0, now=NOW) == []
        first = repo.list_stories(limit=1, now=NOW)[0]
        assert (first.sources, first.last_seen) == _counted(repo)[first.id][::2]
