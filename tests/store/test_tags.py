"""Tags, entities and related-article candidates on each backend."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.store import Store
from newsdesk.store.tags import MAX_KEYS
from support.store import ArticleFactory


def test_save_tags_replaces_and_cleans(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        article = repo.insert_article(make_article())
        repo.save_tags(article, ["old"], [("Kyiv", "PLACE")])
        repo.save_tags(
            article,
            ["ukraine", " ukraine ", "", "war"],
            [("Kyiv", "PLACE"), ("Kyiv", "ORG"), ("Kyiv", "PLACE"), (" ", "PERSON")],
        )
        assert repo.tags_of(article) == (["ukraine", "war"], [("Kyiv", "ORG"), ("Kyiv", "PLACE")])


def test_related_candidates_count_overlap_and_skip_self_and_duplicates(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:

        def tagged(tags: list[str], names: list[str], **fields: object) -> int:
            article = repo.insert_article(make_article(**fields))  # type: ignore[arg-type]
            repo.save_tags(article, tags, [(n, "PLACE") for n in names])
            return article

        me = tagged(["war", "swap"], ["Kyiv", "Moscow"])
        my_copy = repo.insert_article(make_article(), duplicate_of=me)
        repo.save_tags(my_copy, ["war", "swap"], [("Kyiv", "PLACE")])
        strong = tagged(["war", "swap"], ["Kyiv"])
        weak_new = tagged(["war"], [], published=datetime(2024, 6, 1, tzinfo=UTC))
        weak_old = tagged([], ["Moscow"], published=datetime(2024, 1, 1, tzinfo=UTC))
        # The same name under two types counts once.
        two_types = tagged([], [])
        repo.save_tags(two_types, [], [("Kyiv", "PLACE"), ("Kyiv", "ORG")])
        tagged(["sport"], ["Paris"])
        found = repo.related_candidates(
            me, tags=["war", "swap"], entities=["Kyiv", "Moscow"], limit=10
        )
        from_copy = repo.related_candidates(my_copy, tags=["war"], entities=[])
        assert repo.related_candidates(me, tags=[], entities=[]) == []
        assert len(repo.related_candidates(me, tags=["war"], entities=["Kyiv"], limit=1)) == 1
    assert found[0] == (strong, 3)
    assert found[1:] == [(weak_new, 1), (two_types, 1), (weak_old, 1)]
    assert [a for a, _ in from_copy] == [weak_new, strong]


def test_related_candidates_ask_about_the_first_keys_only(
    store: Store, make_article: ArticleFactory
) -> None:
    """MAX_KEYS tags and as many names are asked about, the most salient (first) ones; a key
    past them finds nothing, on each backend (fixed slots on SQLite, one array on PostgreSQL)."""
    with store.transaction() as repo:
        tags = [f"tag{i}" for i in range(MAX_KEYS + 2)]
        names = [f"Name {i}" for i in range(MAX_KEYS + 2)]
        me = repo.insert_article(make_article())
        repo.save_tags(me, tags, [(n, "PERSON") for n in names])
        everything = repo.insert_article(make_article())
        repo.save_tags(everything, tags, [(n, "PERSON") for n in names])
        past_the_first = repo.insert_article(make_article())
        repo.save_tags(past_the_first, tags[MAX_KEYS:], [(n, "PERSON") for n in names[MAX_KEYS:]])
        found = repo.related_candidates(me, tags=tags, entities=names)
    assert found == [(everything, 2 * MAX_KEYS)]
