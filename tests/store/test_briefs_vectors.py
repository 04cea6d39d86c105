"""Briefs and article vectors on each backend: upserts, lookups, what still needs a brief."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.errors import StoreError
from newsdesk.models import Brief, Line
from newsdesk.store import Store, StoryRow
from support.store import ArticleFactory

from .test_brief_codec import full_brief


def test_article_and_story_briefs_round_trip_and_upsert(
    store: Store, make_article: ArticleFactory
) -> None:
    brief = full_brief()
    with store.transaction() as repo:
        article = repo.insert_article(make_article())
        repo.upsert_story(StoryRow(id=article, title="Swap"))
        repo.save_brief(brief, article_id=article)
        repo.save_brief(Brief(lang="en", summary=(Line("Story."),)), story_id=article)
    with store.transaction() as repo:
        assert repo.get_brief(article_id=article) == brief
        story_brief = repo.get_brief(story_id=article)
        assert story_brief is not None and story_brief.summary == (Line("Story."),)
        repo.save_brief(Brief(lang="de", available=False), article_id=article)
        assert repo.get_brief(article_id=article) == Brief(lang="de", available=False)
        assert repo.get_brief(article_id=article + 1) is None
        assert repo.get_brief(story_id=article + 1) is None


def test_a_brief_needs_exactly_one_owner(store: Store) -> None:
    with store.transaction() as repo:
        with pytest.raises(StoreError, match="exactly one"):
            repo.save_brief(Brief(lang="en"))
        with pytest.raises(StoreError, match="exactly one"):
            repo.get_brief(article_id=1, story_id=1)


def test_articles_without_brief_are_canonical_and_by_version(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        done, todo, old = (repo.insert_article(make_article(f"A{i}")) for i in range(3))
        repo.insert_article(make_article("Copy"), duplicate_of=todo)
        repo.save_brief(Brief(lang="en"), article_id=done, version=2)
        repo.save_brief(Brief(lang="en"), article_id=old, version=1)
        assert repo.articles_without_brief() == [todo]
        assert repo.articles_without_brief(older_than=2) == [todo, old]
        assert repo.articles_without_brief(limit=0) == []
        assert repo.all_canonical_ids() == [done, todo, old]


def test_vectors_round_trip_as_float32_and_upsert(
    store: Store, make_article: ArticleFactory
) -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((3, 384)).astype(np.float32)
    with store.transaction() as repo:
        ids = [repo.insert_article(make_article(f"A{i}")) for i in range(3)]
        for article, vector in zip(ids, vectors, strict=True):
            repo.save_vector(article, vector, "minilm")
        repo.save_vector(ids[2], vectors[0].astype(np.float64), "other")
    with store.transaction() as repo:
        got = repo.get_vectors([*ids, 10_000, ids[0]])
        only = repo.get_vectors(ids, model="minilm")
    assert sorted(got) == ids and sorted(only) == ids[:2]
    assert got[ids[0]].dtype == np.float32 and np.array_equal(got[ids[0]], vectors[0])
    assert np.array_equal(got[ids[2]], vectors[0])  # replaced, and float64 stored as float32
    got[ids[0]][0] = 1.0  # a writable copy, not a view of the row's bytes


def test_a_vector_must_be_one_row(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        article = repo.insert_article(make_article())
        with pytest.raises(StoreError, match="one non-empty row"):
            repo.save_vector(article, np.zeros((2, 3)), "minilm")
        assert repo.get_vectors([]) == {}
