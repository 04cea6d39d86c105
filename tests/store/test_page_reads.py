"""The joined reads of the story and article pages answer what the one-question reads answer:
each checked against them on a synthetic store with a merged story (an alias), near-duplicates,
briefs, tags, entities and vectors, on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import update

from newsdesk.errors import NotFoundError
from newsdesk.store import Repo, Store
from newsdesk.store.images import PictureRef
from newsdesk.store.schema import articles
from support.synthetic import ENTITY, TAG, Built, build_stories


def _built(repo: Repo) -> Built:
    built = build_stories(repo, 3, 4)
    for n, article_id in enumerate(built.article_ids):  # every other article has a vector
        if n % 2 == 0:
            repo.save_vector(article_id, np.full(4, n + 1, dtype=np.float32), "test")
    return built


def test_story_head_is_the_story_its_size_breadth_dates_and_brief(store: Store) -> None:
    with store.transaction() as repo:
        built = _built(repo)
        kept, gone = built.story_ids[0], built.story_ids[1]
        repo.merge_stories(kept, gone)  # gone is now an alias of kept
        for asked in [kept, gone, built.story_ids[2]]:
            head = repo.story_head(asked)
            current = repo.resolve_story_id(asked)
            assert head.id == current
            assert head.title == repo.get_story(current).title
            assert head.articles == repo.story_sizes([current])[current]
            assert head.sources == repo.story_breadths([current])[current]
            assert (head.first_seen, head.last_seen) == repo.story_dates([current])[current]
            assert head.brief == repo.get_brief(story_id=current)
            assert head.brief is not None
            assert repo.story_picture(current) == repo.story_pictures([current]).get(current)
        with pytest.raises(NotFoundError):
            repo.story_head(10**6)


def test_story_picture_is_the_one_story_pictures_chooses(store: Store) -> None:
    with store.transaction() as repo:
        built = _built(repo)
        story = built.story_ids[0]
        members = sorted(repo.story_member_ids(story))[:3]  # by id: the order they were stored
        assert repo.story_picture(story) is None  # no article has an image
        repo._conn.execute(
            update(articles)
            .where(articles.c.id.in_(members))
            .values(image="https://img.example/a.jpg", image_alt="A bridge")
        )
        assert repo.story_picture(story) == PictureRef(members[0], "A bridge")  # earliest
        repo.record_image_check(members[0], ok=False)  # refused by the proxy
        repo.record_image_check(members[2], ok=True)  # served: chosen before the unchecked
        assert repo.story_picture(story) == PictureRef(members[2], "A bridge")
        assert repo.story_picture(story) == repo.story_pictures([story])[story]


def test_article_page_row_of_a_canonical_and_of_a_near_duplicate(store: Store) -> None:
    with store.transaction() as repo:
        built = _built(repo)
        for article_id in [built.article_ids[0], built.article_ids[5], built.duplicate_ids[1]]:
            page = repo.article_page_row(article_id)
            canonical = repo.duplicate_of(article_id) or article_id
            assert page.article == repo.get_article(article_id)
            assert page.duplicate_of == repo.duplicate_of(article_id)
            assert page.story_id == repo.story_of(article_id) is not None
            assert page.brief == repo.get_brief(article_id=canonical)
            assert page.picture == repo.article_rows([article_id])[0].picture
            assert (page.tags, page.entities) == repo.tags_of(canonical)
            assert page.tags and page.entities
        with pytest.raises(NotFoundError):
            repo.article_page_row(10**6)


def test_related_start_is_the_canonical_with_its_story_and_vector(store: Store) -> None:
    with store.transaction() as repo:
        built = _built(repo)
        duplicate = built.duplicate_ids[2]
        canonical = repo.duplicate_of(duplicate)
        assert canonical is not None
        for asked, wanted in [(duplicate, canonical), (canonical, canonical)]:
            start = repo.related_start(asked)
            assert start.canonical.head == repo.article_heads([wanted])[0]
            assert start.canonical.story_id == repo.story_of(wanted)
            vector = repo.get_vectors([wanted]).get(wanted)
            assert (start.canonical.vector is None) == (vector is None)
            if vector is not None:
                assert np.array_equal(start.canonical.vector, vector)
            assert start.excluded == (wanted,)
            assert (start.tags, start.names) == ((), ())  # not asked for
            keyed = repo.related_start(asked, brief_keys=True)
            brief = repo.get_brief(article_id=wanted)
            assert brief is not None
            assert keyed.tags == brief.hashtags == (TAG, "#Springfield")
            assert keyed.names == tuple(w.name for w in brief.who) == (ENTITY,)
        unbriefed = build_stories(repo, 1, 2, article_briefs=False, first_id=1000).article_ids[0]
        assert repo.related_start(unbriefed, brief_keys=True).tags == ()
        with pytest.raises(NotFoundError):
            repo.related_start(10**6)


def test_members_and_candidates_come_with_their_heads_stories_and_vectors(store: Store) -> None:
    with store.transaction() as repo:
        built = _built(repo)
        story = built.story_ids[1]
        members = repo.members_with_vectors(story)
        assert sorted(m.head.id for m in members) == sorted(repo.story_member_ids(story))
        article = built.article_ids[4]
        start = repo.related_start(article)
        found = repo.related_candidates_with_heads(start, tags=[TAG], entities=[ENTITY])
        expected = repo.related_candidates(article, tags=[TAG], entities=[ENTITY])
        assert [(c.head.id, overlap) for c, overlap in found] == expected
        ids = [cid for cid, _ in expected]
        heads = {h.id: h for h in repo.article_heads(ids)}
        stories = repo.stories_of(ids)
        vectors = repo.get_vectors(ids)
        for c in [*members, *(c for c, _ in found)]:
            assert c.head == repo.article_heads([c.head.id])[0]
            assert c.story_id == repo.story_of(c.head.id)
            wanted = vectors.get(c.head.id, repo.get_vectors([c.head.id]).get(c.head.id))
            assert (c.vector is None) == (wanted is None)
        assert all(
            heads[c.head.id] == c.head and stories[c.head.id] == c.story_id for c, _ in found
        )
        assert repo.related_candidates_with_heads(start, tags=[], entities=[]) == []
