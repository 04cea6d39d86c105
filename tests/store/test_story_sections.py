"""Story sections in the store (SQLite and PostgreSQL): written and read per story, kept by an
alias, counted for the bar, and a section's ranking is the front page's with the others left out."""

from __future__ import annotations

from newsdesk.store import Store, StoryRow
from support.store import ArticleFactory


def _story(store: Store, make_article: ArticleFactory, n: int, publishers: int) -> int:
    with store.transaction() as repo:
        ids = [
            repo.insert_article(make_article(f"Story {n} by {p}", source=f"Publisher {p}"))
            for p in range(publishers)
        ]
        repo.upsert_story(StoryRow(id=ids[0], title=f"Story {n}", size=publishers))
        for article_id in ids:
            repo.link_article(article_id, ids[0], similarity=1.0, shared_entities=(), reason="t")
    return ids[0]


def test_sections_rank_and_count(store: Store, make_article: ArticleFactory) -> None:
    a = _story(store, make_article, 1, 3)
    b = _story(store, make_article, 2, 1)
    c = _story(store, make_article, 3, 2)
    with store.transaction() as repo:
        repo.set_story_section(a, "Sports", "United States")
        repo.set_story_section(b, "Sports", None)
        repo.set_story_section(c, "Politics", "United States")
    with store.transaction(readonly=True) as repo:
        assert repo.story_sections([a, b, c]) == {
            a: ("Sports", "United States"),
            b: ("Sports", None),
            c: ("Politics", "United States"),
        }
        front = [s.id for s in repo.list_stories(limit=10)]
        assert [s.id for s in repo.list_stories(limit=10, section="Sports")] == [
            i for i in front if i in (a, b)
        ]
        us = repo.list_stories(limit=10, section="United States")
        assert [(s.id, s.section, s.nation) for s in us] == [
            (a, "Sports", "United States"),
            (c, "Politics", "United States"),
        ]
        assert repo.list_stories(limit=10, offset=1, section="Sports")[0].id == b
        assert repo.list_stories(limit=10, section="Science") == []
        assert repo.section_counts() == {"Sports": 2, "Politics": 1, "United States": 2}
        assert repo.get_story(a).section == "Sports"


def test_a_section_written_through_an_alias_lands_on_the_story(
    store: Store, make_article: ArticleFactory
) -> None:
    keep = _story(store, make_article, 1, 2)
    gone = _story(store, make_article, 2, 1)
    with store.transaction() as repo:
        repo.merge_stories(keep, gone)
        repo.set_story_section(gone, "Health", None)
    with store.transaction(readonly=True) as repo:
        assert repo.story_sections([keep]) == {keep: ("Health", None)}
