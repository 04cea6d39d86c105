"""Stories on each backend: state, aliases through merges, pinned links, membership, ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdesk.errors import NotFoundError
from newsdesk.models import Brief
from newsdesk.store import Repo, Store, StoryRow
from support.store import ArticleFactory

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def story(story_id: int, **fields: object) -> StoryRow:
    fields.setdefault("title", f"Story {story_id}")
    fields.setdefault("size", 1)
    fields.setdefault("last_seen", T0)
    fields.setdefault("first_seen", T0)
    return StoryRow(id=story_id, **fields)  # type: ignore[arg-type]


def link(repo: Repo, article_id: int, story_id: int, *, pinned: bool = False) -> bool:
    return repo.link_article(
        article_id, story_id, similarity=0.8, shared_entities=["Kyiv"], reason="test", pinned=pinned
    )


def test_story_state_round_trips(store: Store) -> None:
    centroid = np.arange(4, dtype=np.float64) / 10
    state = story(7, centroid=centroid, size=3, entities={"Kyiv": 2, "Rustem Umerov": 1.5})
    with store.transaction() as repo:
        repo.upsert_story(state)
    with store.transaction() as repo:
        got = repo.get_story(7)
    assert (got.id, got.title, got.size) == (7, "Story 7", 3)
    assert got.entities == {"Kyiv": 2, "Rustem Umerov": 1.5}
    assert isinstance(got.centroid, np.ndarray) and got.centroid.dtype == np.float32
    assert np.allclose(got.centroid, centroid)
    assert got.last_seen == T0 and got.last_seen.tzinfo == UTC
    assert got.updated_at is not None and got.updated_at.tzinfo == UTC


def test_upsert_replaces_the_state_and_accepts_centroid_bytes(store: Store) -> None:
    with store.transaction() as repo:
        repo.upsert_story(story(7, title="Old"))
        vector = np.ones(3, dtype="<f4")
        repo.upsert_story(story(7, title="New", size=5, centroid=vector.tobytes()))
        got = repo.get_story(7)
    assert (got.title, got.size) == ("New", 5)
    assert got.centroid is not None and list(got.centroid) == [1.0, 1.0, 1.0]


def test_missing_story_is_not_found(store: Store) -> None:
    with store.transaction() as repo:
        with pytest.raises(NotFoundError, match="no story with id 99"):
            repo.get_story(99)
        with pytest.raises(NotFoundError):
            repo.resolve_story_id(99)
        with pytest.raises(NotFoundError):
            repo.story_members(99)


def test_merge_twice_resolves_every_old_id(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        ids = [repo.insert_article(make_article(f"Article {i}")) for i in range(4)]
        a, b, c, d = ids
        for sid in ids:
            repo.upsert_story(story(sid, entities={"Kyiv": 1}))
            link(repo, sid, sid)
        repo.save_brief(Brief(lang="en"), story_id=b)
        repo.merge_stories(c, d)  # C <- D
        repo.merge_stories(a, b)  # A <- B
        repo.merge_stories(a, c)  # A <- C, and C had alias D
    with store.transaction() as repo:
        assert [repo.resolve_story_id(i) for i in ids] == [a, a, a, a]
        assert repo.get_story(d).id == a
        merged = repo.get_story(a)
        assert merged.size == 4 and merged.entities == {"Kyiv": 4}
        assert {repo.story_of(i) for i in ids} == {a}
        assert [m.id for m in repo.story_members(d)] == ids
        assert repo.get_brief(story_id=b) is None
        assert repo.active_stories(None) == [merged]
        repo.merge_stories(d, a)  # the same story under two names: nothing to do
        assert repo.resolve_story_id(a) == a


def test_merge_averages_centroids_by_size(store: Store) -> None:
    with store.transaction() as repo:
        repo.upsert_story(story(1, size=3, centroid=np.array([1.0, 0.0])))
        repo.upsert_story(story(2, size=1, centroid=np.array([0.0, 1.0]), last_seen=T0 + DAY))
        repo.merge_stories(1, 2)
        got = repo.get_story(2)
    assert got.id == 1 and got.last_seen == T0 + DAY and got.first_seen == T0
    assert got.centroid is not None
    expected = np.array([3.0, 1.0]) / np.sqrt(10)
    assert np.allclose(got.centroid, expected, atol=1e-6)


def test_upserting_a_merged_id_makes_it_a_story_again(store: Store) -> None:
    with store.transaction() as repo:
        repo.upsert_story(story(1))
        repo.upsert_story(story(2))
        repo.merge_stories(1, 2)
        repo.upsert_story(story(2, title="Split out"))
        assert repo.resolve_story_id(2) == 2 and repo.get_story(2).title == "Split out"


def test_pinned_link_is_replaced_only_by_a_pinned_one(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        article = repo.insert_article(make_article())
        for sid in (1, 2, 3):
            repo.upsert_story(story(sid))
        assert link(repo, article, 1) is True
        assert link(repo, article, 2, pinned=True) is True
        assert link(repo, article, 3) is False  # a re-run must not move a pinned article
        kept = repo.story_link(article)
        assert kept is not None and (kept.story_id, kept.pinned) == (2, True)
        assert link(repo, article, 3, pinned=True) is True
        moved = repo.story_link(article)
    assert moved is not None
    assert (moved.story_id, moved.pinned, moved.reason) == (3, True, "test")
    assert moved.shared_entities == ("Kyiv",) and moved.similarity == pytest.approx(0.8)
    assert moved.added_at.tzinfo == UTC


def test_a_relink_to_the_same_story_keeps_added_at(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        article = repo.insert_article(make_article())
        repo.upsert_story(story(1))
        link(repo, article, 1)
        first = repo.story_link(article)
        repo.link_article(article, 1, similarity=0.9, shared_entities=[], reason="again")
        again = repo.story_link(article)
    assert first is not None and again is not None
    assert again.added_at == first.added_at and again.reason == "again"


def test_story_of_goes_through_duplicate_of(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        canonical = repo.insert_article(make_article("Canonical"))
        copy = repo.insert_article(make_article("Copy", source="Other"), duplicate_of=canonical)
        lone = repo.insert_article(make_article("Lone"))
        repo.upsert_story(story(canonical))
        link(repo, canonical, canonical)
        assert repo.story_of(copy) == canonical
        link_of_copy = repo.story_link(copy)
        assert link_of_copy is not None and link_of_copy.article_id == canonical
        assert repo.story_of(lone) is None and repo.story_link(lone) is None
        assert [m.id for m in repo.story_members(canonical)] == [canonical]
        with pytest.raises(NotFoundError):
            repo.story_of(10_000)


def test_stories_of_matches_story_of(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        canonical = repo.insert_article(make_article("Canonical"))
        copy = repo.insert_article(make_article("Copy", source="Other"), duplicate_of=canonical)
        lone = repo.insert_article(make_article("Lone"))
        repo.upsert_story(story(canonical))
        link(repo, canonical, canonical)
        found = repo.stories_of([lone, copy, canonical, copy, 10_000])
        assert found == {copy: canonical, canonical: canonical}
        assert all(repo.story_of(i) == found.get(i) for i in (lone, copy, canonical))
        assert repo.stories_of([]) == {}


def test_members_are_canonical_and_by_published(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        late = repo.insert_article(make_article("Late", published=T0 + DAY))
        undated = repo.insert_article(make_article("Undated", published=None))
        early = repo.insert_article(make_article("Early", published=T0))
        repo.upsert_story(story(late))
        for article in (late, undated, early):
            link(repo, article, late)
        members = repo.story_members(late)
    assert [m.title for m in members] == ["Early", "Late", "Undated"]


def test_active_stories_keeps_recent_and_undated(store: Store) -> None:
    with store.transaction() as repo:
        repo.upsert_story(story(1, last_seen=T0 - 10 * DAY))
        repo.upsert_story(story(2, last_seen=T0))
        repo.upsert_story(story(3, last_seen=None))
        assert [s.id for s in repo.active_stories(T0 - DAY)] == [2, 3]
        assert [s.id for s in repo.active_stories(None)] == [2, 1, 3]
        assert [s.id for s in repo.active_stories(None, limit=1)] == [2]


def test_list_stories_ranks_breadth_and_freshness_of_dated_coverage(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:

        def covered(sid: int, published: datetime | None, sources: list[str]) -> None:
            # The story row's own dates (the clustering state) are ignored by the ranking.
            repo.upsert_story(story(sid, size=len(sources), last_seen=T0 + DAY))
            for source in sources:
                article = make_article(source=source, published=published)
                link(repo, repo.insert_article(article), sid)

        covered(1, T0, ["A", "B", "C"])  # three publishers now: 3 + 3
        covered(2, T0, ["A", "A", "A", "A"])  # one publisher, four times: 1 + 3
        covered(3, T0 - 3 * DAY, ["A", "B", "C", "D", "E"])  # broad, past the fresh window: 5
        covered(4, T0 - DAY / 4, ["A", "B", "C"])  # six hours old: 3 + 2.625
        covered(5, None, ["A", "B", "C", "D", "E"])  # as broad as 3, undated: never fresh
        # A near-duplicate from another publisher widens its canonical's story: 2 + 1.5.
        canonical = repo.insert_article(make_article(source="A", published=T0 - DAY))
        copy = make_article(source="B", published=T0 - DAY)
        repo.insert_article(copy, duplicate_of=canonical)
        covered(6, T0 - DAY, [])
        link(repo, canonical, 6)
        covered(7, T0 - 10 * DAY, ["A"])  # one dated and one undated article: 2
        link(repo, repo.insert_article(make_article(source="B", published=None)), 7)
        ranked = repo.list_stories(now=T0)
        page = repo.list_stories(limit=2, offset=1, now=T0)
        dates = repo.story_dates([1, 5, 7])
    assert [s.id for s in ranked] == [1, 4, 3, 5, 2, 6, 7]
    assert [(s.sources, s.size) for s in ranked[:3]] == [(3, 3), (3, 3), (5, 5)]
    assert ranked[5].sources == 2
    assert ranked[0].last_seen == T0 and ranked[0].title == "Story 1"
    assert ranked[3].last_seen is None and ranked[3].first_seen is None  # undated, not "now"
    assert ranked[6].last_seen == ranked[6].first_seen == T0 - 10 * DAY
    assert [s.id for s in page] == [4, 3]
    assert dates == {1: (T0, T0), 7: (T0 - 10 * DAY, T0 - 10 * DAY)}


def test_freshness_fades_so_breadth_ranks_an_archive(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        for sid, published, width in ((1, T0, 2), (2, T0 - 400 * DAY, 17), (3, T0 - DAY, 3)):
            repo.upsert_story(story(sid))
            for n in range(width):
                article = make_article(source=f"P{n}", published=published)
                link(repo, repo.insert_article(article), sid)
        today = [s.id for s in repo.list_stories(now=T0)]
        a_year_on = [s.id for s in repo.list_stories(now=T0 + 365 * DAY)]
    assert today == [2, 1, 3]  # 17 > 2 + 3 > 3 + 1.5
    assert a_year_on == [2, 3, 1]  # nothing fresh: breadth alone
