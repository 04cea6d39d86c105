"""Lead images and story publishers in the store, on each backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.store import Repo, Store, StoryRow
from support.store import ArticleFactory

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _story(repo: Repo, story_id: int, *article_ids: int) -> None:
    repo.upsert_story(
        StoryRow(id=story_id, title=f"S{story_id}", size=1, last_seen=T0, first_seen=T0)
    )
    for a in article_ids:
        repo.link_article(a, story_id, similarity=0.8, shared_entities=[], reason="test")


def _pictured(repo: Repo, article_ids: list[int]) -> set[int]:
    """The articles whose list row (what a card is built from) carries a picture."""
    return {row.id for row in repo.article_rows(article_ids) if row.picture is not None}


def test_image_alt_is_stored_and_checks_decide_the_picture(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        bare = repo.insert_article(make_article("No picture"))
        first = repo.insert_article(
            make_article("First", image="https://cdn.example.org/1.jpg", image_alt="A bridge")
        )
        second = repo.insert_article(make_article("Second", image="https://cdn.example.org/2.jpg"))
        _story(repo, 1, bare, first, second)
        _story(repo, 2, bare)
    with store.transaction(readonly=True) as repo:
        source = repo.image_source(first)
        assert source is not None and (source.url, source.alt, source.ok) == (
            "https://cdn.example.org/1.jpg",
            "A bridge",
            None,
        )
        assert repo.image_source(bare) is None
        assert {k: v.article_id for k, v in repo.story_pictures([1, 2]).items()} == {1: first}
        assert _pictured(repo, [bare, first, second]) == {first, second}
    with store.transaction() as repo:
        repo.record_image_check(first, False, "fetch: HTTP 404\nfrom the host")
        repo.record_image_check(second, True)
    with store.transaction(readonly=True) as repo:
        failed = repo.image_source(first)
        assert failed is not None and failed.ok is False and failed.checked_at is not None
        assert repo.story_pictures([1])[1].article_id == second  # a failed image is left out
        assert _pictured(repo, [first, second]) == {second}
    with store.transaction() as repo:  # a later check replaces the verdict
        repo.record_image_check(first, True)
    with store.transaction(readonly=True) as repo:
        again = repo.image_source(first)
        assert again is not None and again.ok is True


def test_story_publishers_first_reporter_first_duplicates_included(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        late = repo.insert_article(
            make_article("a", source="Reuters", published=T0 + timedelta(hours=2))
        )
        early = repo.insert_article(make_article("b", source="AP", published=T0))
        undated = repo.insert_article(make_article("c", source="BBC", published=None))
        repo.insert_article(
            make_article("d", source="Le Monde", published=T0 + timedelta(hours=1)),
            duplicate_of=late,
        )
        repo.insert_article(make_article("e", source="AP", published=T0 + timedelta(hours=3)))
        _story(repo, 5, late, early, undated)
    with store.transaction(readonly=True) as repo:
        assert repo.story_publishers([5, 6]) == {5: ["AP", "Le Monde", "Reuters", "BBC"]}
        assert repo.story_publishers([]) == {}
