"""Hybrid search on each backend (SQLite and PostgreSQL): the same fusion, filters and grouping
by story over articles written straight into the store with real MiniLM vectors; on PostgreSQL
the index lives in memory, or in the file that settings.vector_index names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.nlp.embedder import default_embedder
from newsdesk.pipeline.enrich import EMBEDDING_MODEL
from newsdesk.store import Store, StoryRow
from newsdesk.store.ann import VectorIndex, index_path
from support.store import ArticleFactory

ARTICLES = [
    ("Tara Reid checks into rehab", "The actress entered a treatment center.", "A", 1, "en"),
    ("Reid enters Promises clinic", "Her representative confirmed the stay.", "B", 1, "en"),
    ("Navy foils pirate attack", "Sailors stopped pirates in the Gulf of Aden.", "C", 2, "en"),
    ("Marine stoppt Piraten", "Die Marine hat einen Angriff verhindert.", "D", 3, "de"),
]


def _fill(store: Store, make_article: ArticleFactory) -> list[int]:
    vectors = default_embedder().embed([f"{t}. {b}" for t, b, *_ in ARTICLES])
    ids = []
    with store.transaction() as repo:
        for (title, body, source, day, lang), vector in zip(ARTICLES, vectors, strict=True):
            published = datetime(2025, 5, day, tzinfo=UTC)
            article = make_article(title, body, source=source, lang=lang, published=published)
            ids.append(repo.insert_article(article))
            repo.save_vector(ids[-1], vector, EMBEDDING_MODEL)
        repo.upsert_story(StoryRow(id=ids[0], title="Rehab", size=2))
        for member in ids[:2]:
            repo.link_article(member, ids[0], similarity=0.9, shared_entities=[], reason="test")
        repo.set_story_section(ids[0], "Entertainment", None)
    return ids


def test_fusion_filters_and_grouping_on_each_backend(
    store: Store, make_article: ArticleFactory, db_url: str, tmp_path: Path
) -> None:
    ids = _fill(store, make_article)
    configured = "" if db_url.startswith("sqlite") else str(tmp_path / "pg.usearch")
    path = index_path(db_url, configured)
    index = VectorIndex(path, EMBEDDING_MODEL)
    with store.transaction(readonly=True) as repo:
        rehab = repo.search_stories("actress goes to rehab clinic", index=index)
        assert rehab[0].story_id == ids[0] and rehab[0].others == 1
        assert [h.story_id for h in rehab].count(ids[0]) == 1  # two articles, one result
        assert rehab[0].matched == ("semantic",)
        pirates = repo.search_stories("pirates", index=index)
        assert pirates[0].hit.article_id == ids[2] and pirates[0].matched == ("text", "semantic")
        assert "irates" in pirates[0].hit.snippet  # the text hit's own snippet, made for the page
        german = repo.search_stories("pirates", index=index, lang="de")
        assert {h.hit.article_id for h in german} <= {ids[3]}  # the English model may miss it
        english = repo.search_stories("pirates", index=index, lang="en")
        assert [h.hit.article_id for h in english] == [ids[2]]
        assert repo.search_stories("pirates", index=index, source="A") == []
        assert repo.search_stories("pirates", index=index, section="Entertainment") == []
        in_section = repo.search_stories("rehab", index=index, section="Entertainment")
        assert [h.story_id for h in in_section] == [ids[0]]
        later = repo.search_stories("rehab", index=index, since=datetime(2025, 5, 2, tzinfo=UTC))
        assert later == []
    assert path is not None and path.exists()  # PostgreSQL: the file settings named
    assert len(VectorIndex(path, EMBEDDING_MODEL)) == 0  # loaded on first search, not before
