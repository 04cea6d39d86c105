"""Articles, sightings and the dedup lookups, on each backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.models import Sighting
from newsdesk.store import Store
from support.store import ArticleFactory, signature

CET = timezone(timedelta(hours=1))
SEEN = datetime(2024, 5, 1, 13, 0, tzinfo=UTC)


def test_round_trip_keeps_every_field_and_gives_aware_utc(
    store: Store, make_article: ArticleFactory
) -> None:
    published = datetime(2024, 5, 1, 14, 30, 15, 123456, tzinfo=CET)
    new = make_article(
        "Title ü",
        "First paragraph.\n\nSecond paragraph.",
        published=published,
        url="https://example.org/a?utm=1",
        canonical_url="https://example.org/a",
        byline="Jane Doe",
        lang="de",
        external_id="guid-1",
        site_name="Example",
        image="https://example.org/a.jpg",
    )
    with store.transaction() as repo:
        article_id = repo.insert_article(new)
    with store.transaction() as repo:
        got = repo.get_article(article_id)
    assert (got.id, got.title, got.text) == (article_id, new.title, new.text)
    assert got.source == new.source
    assert (got.url, got.canonical_url, got.byline, got.lang) == (
        new.url,
        new.canonical_url,
        "Jane Doe",
        "de",
    )
    assert (got.external_id, got.site_name, got.image) == ("guid-1", "Example", new.image)
    assert got.published == published and got.published.tzinfo == UTC
    assert got.published.hour == 13  # 14:30 CET is 13:30 UTC
    assert got.created_at.tzinfo == UTC
    assert abs(datetime.now(UTC) - got.created_at) < timedelta(minutes=5)
    assert got.sightings == ()


def test_sightings_are_idempotent_and_ordered(store: Store, make_article: ArticleFactory) -> None:
    later = Sighting("B", "https://b.example/x", "Tb", SEEN + timedelta(hours=1), ref="b")
    early = Sighting("A", "https://a.example/x", "Ta", SEEN, published=SEEN, ref="a")
    with store.transaction() as repo:
        article_id = repo.insert_article(make_article())
        assert repo.add_sighting(article_id, later) is True
        assert repo.add_sighting(article_id, early) is True
        assert repo.add_sighting(article_id, early) is False
        assert repo.add_sighting(article_id, later) is False
    with store.transaction() as repo:
        assert repo.add_sighting(article_id, early) is False  # also across transactions
        seen = repo.get_article(article_id).sightings
    assert [s.ref for s in seen] == ["a", "b"]
    assert seen[0] == early and seen[0].seen_at.tzinfo == UTC


def test_sighting_ref_falls_back_to_url_then_source_and_title(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        article_id = repo.insert_article(make_article())
        assert repo.add_sighting(article_id, Sighting("S", "https://s.example/1", "T", SEEN))
        assert not repo.add_sighting(article_id, Sighting("S", "https://s.example/1", "T2", SEEN))
        assert repo.add_sighting(article_id, Sighting("S", None, "T", SEEN))
        assert not repo.add_sighting(article_id, Sighting("S", None, "T", SEEN))
        refs = [s.ref for s in repo.get_article(article_id).sightings]
    assert refs == ["https://s.example/1", "S|T"]


def test_the_same_ref_may_belong_to_two_articles(
    store: Store, make_article: ArticleFactory
) -> None:
    card = Sighting("Agg", "https://agg.example/", "Card", SEEN, ref="https://agg.example/#3")
    with store.transaction() as repo:
        first = repo.insert_article(make_article())
        second = repo.insert_article(make_article())
        assert repo.add_sighting(first, card) and repo.add_sighting(second, card)
        assert repo.article_id_by_ref("https://agg.example/#3") == first


def test_lookups_by_ref_url_and_hash(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        canonical = repo.insert_article(
            make_article(hash="h1", canonical_url="https://example.org/story")
        )
        dup = repo.insert_article(make_article(hash="h1"), duplicate_of=canonical)
        repo.add_sighting(dup, Sighting("Mirror", "https://mirror.example/s", "T", SEEN, ref="m"))
    with store.transaction() as repo:
        assert repo.article_id_by_ref("m") == dup
        assert repo.article_id_by_ref("nope") is None
        assert repo.article_id_by_url("https://example.org/story") == canonical
        assert repo.article_id_by_url("https://mirror.example/s") == dup
        assert repo.article_id_by_url("https://nowhere.example/") is None
        assert repo.article_id_by_hash("h1") == canonical  # never the duplicate
        assert repo.article_id_by_hash("h2") is None
        assert repo.duplicate_of(dup) == canonical
        assert repo.duplicate_of(canonical) is None


def test_hash_lookup_ignores_duplicates_only(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        canonical = repo.insert_article(make_article(hash="other"))
        repo.insert_article(make_article(hash="only-dup"), duplicate_of=canonical)
        assert repo.article_id_by_hash("only-dup") is None


def test_near_candidates_share_a_bucket_and_skip_duplicates(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        one = repo.insert_article(make_article(sig=1, keys=(b"k1", b"k2", b"k3")))
        two = repo.insert_article(make_article(sig=2, keys=(b"k3", b"k4", b"k4")))
        repo.insert_article(make_article(sig=3, keys=(b"k1", b"k2")), duplicate_of=one)
        repo.insert_article(make_article(sig=4, keys=(b"zz",)))
    with store.transaction() as repo:
        assert repo.near_candidates([b"k1", b"k2", b"k3"]) == [
            (one, signature(1)),  # three shared buckets before one
            (two, signature(2)),
        ]
        assert repo.near_candidates([b"k4"]) == [(two, signature(2))]
        assert repo.near_candidates([b"k1", b"k3"], limit=1) == [(one, signature(1))]
        assert repo.near_candidates([b"none"]) == []
        assert repo.near_candidates([]) == []


def test_missing_article_raises_not_found(store: Store) -> None:
    with store.transaction() as repo:
        with pytest.raises(NotFoundError, match="no article with id 999"):
            repo.get_article(999)
        with pytest.raises(NotFoundError):
            repo.duplicate_of(999)


def test_iter_articles_streams_everything_in_id_order(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        ids = [repo.insert_article(make_article(f"T{i}")) for i in range(7)]
        dup = repo.insert_article(make_article("dup"), duplicate_of=ids[2])
        repo.add_sighting(ids[5], Sighting("S", "https://s.example/5", "T5", SEEN))
    with store.transaction() as repo:
        got = list(repo.iter_articles(batch=3))
    assert [a.id for a, _ in got] == [*ids, dup]
    assert [d for _, d in got] == [None] * 7 + [ids[2]]
    assert [len(a.sightings) for a, _ in got] == [0, 0, 0, 0, 0, 1, 0, 0]


def test_counts_stop_past_at_most(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        ids = [
            repo.insert_article(make_article(f"T{i}", source="A" if i else "B")) for i in range(5)
        ]
        repo.insert_article(make_article("dup", source="A"), duplicate_of=ids[1])
    with store.transaction(readonly=True) as repo:
        assert repo.count_articles() == 5  # canonical only
        assert repo.count_articles(at_most=3) == 4  # one past the bound: "more than 3"
        assert repo.count_articles(at_most=10) == 5
        assert repo.count_articles(source="B", at_most=3) == 1
        assert repo.count_stories() == 0 == repo.count_stories(at_most=3)
