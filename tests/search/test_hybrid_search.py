"""Hybrid search on a real SQLite store built by the real pipeline (real MiniLM embeddings, real
stories): the ANN index persisted beside the store, reopened, rebuilt after deletion and
corruption, caught up with new vectors; filters on both sides; one result per story; and a
paraphrase that semantic search finds and full text misses."""

from __future__ import annotations

import logging
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from newsdesk.config import Settings
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.pipeline.enrich import EMBEDDING_MODEL
from newsdesk.store import Store
from newsdesk.store.ann import VectorIndex, index_path
from newsdesk.store.search import StoryHit, embed_query
from search.conftest import NOW, PARAPHRASE, Built


@pytest.fixture
def fresh(built: Built, tmp_path: Path) -> Iterator[Built]:
    """A copy of the built store, for tests that change it or its index file."""
    db = tmp_path / "news.db"
    shutil.copy(built.folder / "news.db", db)
    yield Built(Settings(db=str(db), workers=1), tmp_path, built.events)


def _search(b: Built, query: str, index: VectorIndex, **kw: object) -> list[StoryHit]:
    with Store.open(b.settings.db_url) as store, store.transaction(readonly=True) as repo:
        return repo.search_stories(query, vector=embed_query(query), index=index, **kw)  # type: ignore[arg-type]


def _ready_within(index: VectorIndex, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not index.ready and time.monotonic() < deadline:
        time.sleep(0.05)
    return index.ready


def _index(b: Built) -> VectorIndex:
    return VectorIndex(index_path(b.settings.db_url, ""), EMBEDDING_MODEL)


def test_paraphrase_found_by_semantic_search_missed_by_full_text(built: Built) -> None:
    index = _index(built)
    text = _search(built, PARAPHRASE, index, mode="text")
    assert not [h for h in text if built.events[h.hit.article_id] == "ecb01-a"]
    hybrid = _search(built, PARAPHRASE, index)
    assert hybrid, "semantic side found nothing"
    best = hybrid[0]
    assert built.events[best.hit.article_id] in {"ecb01-a", "ecb01-b"}  # a rehab story
    assert best.matched == ("semantic",) and best.similarity is not None
    assert best.hit.snippet  # the lead of its text stands for the missing match
    # Nonsense finds nothing: the similarity floor keeps noise out.
    assert _search(built, "zxqv wplk", index) == []


def test_one_result_per_story_with_the_number_of_others(built: Built) -> None:
    index = _index(built)
    hits = _search(built, "pirates Gulf of Aden navy", index)
    stories = [h.story_id for h in hits if h.story_id is not None]
    assert len(stories) == len(set(stories))
    top = hits[0]
    assert built.events[top.hit.article_id] == "ecb12-b"
    assert top.story_id is not None and top.others >= 1
    assert "text" in top.matched and "semantic" in top.matched
    with Store.open(built.settings.db_url) as store, store.transaction(readonly=True) as repo:
        members = [i for i, e in built.events.items() if e == "ecb12-b"]
        story = repo.get_story(top.story_id)
        assert top.others == story.size - 1
        in_story = {i for i in members if repo.story_of(i) == top.story_id}
    assert len(in_story) >= 2


def test_filters_apply_to_both_sides(built: Built) -> None:
    index = _index(built)
    query = "checks into rehab"
    every = _search(built, query, index, mode="semantic", limit=50)
    assert len(every) >= 2
    one = every[-1].hit
    by_source = _search(built, query, index, source=one.source)
    assert [h.hit.article_id for h in by_source] == [one.article_id]
    assert _search(built, query, index, lang="de") == []
    day = one.published
    assert day is not None
    dated = _search(built, query, index, since=day, until=day.replace(hour=23))
    assert [h.hit.article_id for h in dated] == [one.article_id]
    with Store.open(built.settings.db_url) as store, store.transaction() as repo:
        story = every[0].story_id
        assert story is not None
        repo.set_story_section(story, "Test Desk", None)
    in_section = _search(built, query, index, section="Test Desk", limit=50)
    assert [h.story_id for h in in_section] == [story]
    assert _search(built, query, index, section="No Such Desk") == []


def test_text_mode_is_full_text_only(built: Built) -> None:
    hits = _search(built, "Lohan Betty Ford", _index(built), mode="text")
    assert hits and all(h.matched == ("text",) and h.similarity is None for h in hits)
    assert all(built.events[h.hit.article_id] == "ecb01-b" for h in hits)
    assert "[" in hits[0].hit.snippet


def test_index_persisted_beside_the_store_and_reopened(
    fresh: Built, caplog: pytest.LogCaptureFixture
) -> None:
    path = index_path(fresh.settings.db_url, "")
    assert path == fresh.folder / "news.db-vectors.usearch"
    assert not path.exists()
    caplog.set_level(logging.INFO, logger="newsdesk.store.ann")
    first = _search(fresh, PARAPHRASE, _index(fresh))
    assert path.exists() and "built from 12 stored vectors" in caplog.text
    caplog.clear()
    reopened = _index(fresh)
    again = _search(fresh, PARAPHRASE, reopened)
    assert "built from" not in caplog.text and reopened.kind == "usearch"
    assert len(reopened) == 12
    assert [h.hit.article_id for h in again] == [h.hit.article_id for h in first]


@pytest.mark.parametrize("damage", ["delete", "flip", "truncate", "garbage"])
def test_missing_or_corrupt_index_is_rebuilt_with_one_warning(
    fresh: Built, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = index_path(fresh.settings.db_url, "")
    assert path is not None
    expected = [h.hit.article_id for h in _search(fresh, PARAPHRASE, _index(fresh))]
    data = path.read_bytes()
    if damage == "delete":
        path.unlink()
    elif damage == "flip":
        path.write_bytes(data[:-100] + bytes(b ^ 0xFF for b in data[-100:]))
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"\x00" * 4096)
    caplog.set_level(logging.INFO, logger="newsdesk.store.ann")
    index = _index(fresh)
    for _ in range(2):
        assert [h.hit.article_id for h in _search(fresh, PARAPHRASE, index)] == expected
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == (0 if damage == "delete" else 1)
    assert "built from 12 stored vectors" in caplog.text
    assert path.read_bytes().startswith(b"newsdesk-ann 1\n")  # written back whole


def test_index_catches_up_with_the_store(fresh: Built) -> None:
    index = _index(fresh)
    _search(fresh, PARAPHRASE, index)
    assert len(index) == 12
    vector = embed_query("Volcano erupts near a fishing town in Iceland")
    assert vector is not None
    with Store.open(fresh.settings.db_url) as store, store.transaction() as repo:
        new_id = repo.insert_article(
            NewArticle(
                source="Reykjavik Daily",
                title="Lava reaches Grindavik",
                text="The eruption sent lava into the streets overnight.",
                fingerprint=Fingerprint("lava", b"", ()),
                published=NOW,
                lang="en",
            )
        )
        repo.save_vector(new_id, vector, EMBEDDING_MODEL)
    hits = _search(fresh, "volcanic eruption in Iceland", index)
    assert len(index) == 13
    assert hits[0].hit.article_id == new_id and "semantic" in hits[0].matched


def test_without_the_ann_library_search_is_exact(
    fresh: Built, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    expected = [h.hit.article_id for h in _search(fresh, PARAPHRASE, _index(fresh))]
    monkeypatch.setitem(sys.modules, "usearch", None)  # the import fails as if not installed
    monkeypatch.setitem(sys.modules, "usearch.index", None)
    index = _index(fresh)
    index.path.unlink()  # type: ignore[union-attr]
    hits = _search(fresh, PARAPHRASE, index)
    assert index.kind == "exact" and [h.hit.article_id for h in hits] == expected
    assert "exact search instead" in caplog.text


def test_query_vector_is_a_unit_vector() -> None:
    vector = embed_query("prisoner exchange")
    assert vector is not None and vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_searches_do_not_wait_for_a_first_build(fresh: Built) -> None:
    index = _index(fresh)
    with index._lock:  # as while the build thread holds it, reading 10^6 stored vectors
        started = time.monotonic()
        hits = _search(fresh, "Somali pirates", index, index_wait=0.05)
        waited = time.monotonic() - started
    assert hits and all(h.matched == ("text",) for h in hits)  # full text answered meanwhile
    assert waited < 5 and not index.ready
    assert _ready_within(index, 30) and len(index) == 12  # the build thread went on alone
    after = _search(fresh, "Somali pirates", index, index_wait=0.0)
    assert "semantic" in after[0].matched


def test_a_first_search_that_may_wait_gets_both_sides(fresh: Built) -> None:
    index = _index(fresh)
    hits = _search(fresh, "Somali pirates", index, index_wait=None)  # as the CLI searches
    assert index.ready and "semantic" in hits[0].matched


def test_a_failed_build_is_one_warning_and_tried_again(
    fresh: Built, caplog: pytest.LogCaptureFixture
) -> None:
    """A stored vector the index cannot take (a torn write: 10 bytes) fails the build: one
    warning, full text answers; once the store is repaired the next search builds it."""
    caplog.set_level(logging.INFO, logger="newsdesk.store.ann")
    with Store.open(fresh.settings.db_url) as store, store.transaction() as repo:
        torn = repo._conn.execute(text("SELECT min(article_id) FROM article_vectors")).scalar()
        repo._conn.execute(
            text("UPDATE article_vectors SET vector = :v WHERE article_id = :i"),
            {"v": b"\x00" * 10, "i": torn},
        )
    index = _index(fresh)
    first = _search(fresh, "Somali pirates", index, index_wait=10)
    assert all(h.matched == ("text",) for h in first) and not index.ready
    assert "vector index: not built (ValueError:" in caplog.text
    with Store.open(fresh.settings.db_url) as store, store.transaction() as repo:
        repo._conn.execute(text("DELETE FROM article_vectors WHERE article_id = :i"), {"i": torn})
    again = _search(fresh, "Somali pirates", index, index_wait=10)
    assert _ready_within(index, 0) and "semantic" in again[0].matched
    assert "built from 11 stored vectors" in caplog.text


def test_comparison_with_the_store_runs_beside_searches(
    fresh: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vector the store lost leaves the index, one stored below the high-water mark (an
    article enriched late) joins it: found by the periodic comparison, which runs on its own
    thread while searches go on."""
    index = _index(fresh)
    _search(fresh, PARAPHRASE, index)
    assert len(index) == 12
    with Store.open(fresh.settings.db_url) as store, store.transaction() as repo:
        ids = list(repo._conn.execute(text("SELECT article_id FROM article_vectors")).scalars())
        lost, late = ids[0], ids[1]
        vector = repo._conn.execute(
            text("SELECT vector FROM article_vectors WHERE article_id = :i"), {"i": late}
        ).scalar_one()
        repo._conn.execute(
            text("DELETE FROM article_vectors WHERE article_id IN (:a, :b)"), {"a": lost, "b": late}
        )
    index._checked_at = 0.0  # the comparison is due (every RECONCILE_SECONDS)
    with Store.open(fresh.settings.db_url) as store, store.transaction() as repo:
        repo._conn.execute(
            text("INSERT INTO article_vectors (article_id, model, vector) VALUES (:i, :m, :v)"),
            {"i": late, "m": EMBEDDING_MODEL, "v": vector},
        )
    _search(fresh, PARAPHRASE, index)  # starts the comparison, answers at once
    worker = index._worker
    assert worker is not None
    worker.join(30)
    assert len(index) == 11 and lost not in index._backend.ids()  # type: ignore[union-attr]
    assert late in index._backend.ids()  # type: ignore[union-attr]
