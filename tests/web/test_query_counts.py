"""Batch-first reads: every list page, API list and Atom feed issues the same number of SQL
statements whether it shows N rows or about 3N; one more query per row fails here."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from support.store import statements_sent
from support.synthetic import ENTITY, Built, build_stories

SMALL, LARGE = (3, 3), (9, 9)  # (stories, articles per story): 9 and 81 articles


def _paths(built: Built) -> list[str]:
    story, article = built.story_ids[0], built.article_ids[0]
    return [
        "/",
        f"/story/{story}",
        f"/article/{article}",
        "/search?q=bridge",
        "/tag/Bridge",
        f"/entity/{ENTITY}",
        f"/source/{built.source}",
        "/api/v1/stories?limit=100",
        f"/api/v1/stories/{story}",
        f"/api/v1/articles/{article}",
        "/api/v1/articles?limit=100",
        "/api/v1/search?q=bridge&limit=100",
        "/api/v1/tags",
        "/api/v1/entities",
        "/api/v1/sources",
        "/feeds/front.atom",
        f"/feeds/story/{story}.atom",
        "/feeds/tag/Bridge.atom",
        "/feeds/search.atom?q=bridge",
    ]


def _counted(app: FastAPI) -> AbstractContextManager[list[str]]:
    return statements_sent(app.state.newsdesk.store.engine)


def _statements(tmp: Path, size: tuple[int, int]) -> dict[str, int]:
    db = tmp / f"news-{size[0]}.db"
    with Store.open(f"sqlite:///{db}") as store, store.transaction() as repo:
        built = build_stories(repo, *size)
    app = create_app(Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0))
    counts: dict[str, int] = {}
    with TestClient(app) as client:
        client.get("/")  # the ranking and anything else that warms once
        for path in _paths(built):
            with _counted(app) as seen:
                answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
            counts[
                path.replace(str(built.story_ids[0]), "ID").replace(str(built.article_ids[0]), "ID")
            ] = len(seen)
    return counts


@pytest.fixture(scope="module")
def counts(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, int], dict[str, int]]:
    tmp = tmp_path_factory.mktemp("queries")
    return _statements(tmp, SMALL), _statements(tmp, LARGE)


def test_no_list_issues_a_query_per_row(
    counts: tuple[dict[str, int], dict[str, int]],
) -> None:
    small, large = counts
    assert small.keys() == large.keys()
    grew = {path: (small[path], large[path]) for path in small if large[path] > small[path]}
    assert not grew, f"statements grew with the rows (N -> 3N): {grew}"


def test_every_list_reads_in_a_few_statements(
    counts: tuple[dict[str, int], dict[str, int]],
) -> None:
    _, large = counts
    # The entity page is the heaviest (13); the story and article pages read in 9 (below).
    heavy = {path: n for path, n in large.items() if n > 16}
    assert not heavy, f"more than 16 statements: {heavy}"


def test_story_and_article_pages_read_in_few_statements(
    counts: tuple[dict[str, int], dict[str, int]],
) -> None:
    # The story with its brief, a page of coverage, its picture, the chart, the related
    # stories (their start with the first article's brief, the candidates), the cited sources
    # and the comments (8); an article with its brief, story and picture, then its sightings,
    # tags and entities, its related (start, coverage, candidates) and its comments (6); each
    # with SQLite's BEGIN. They took 28 and 26 statements before store/page_reads.py joined them.
    _, large = counts
    pages = {path: large[path] for path in ("/story/ID", "/article/ID")}
    assert pages == {"/story/ID": 9, "/article/ID": 7}, pages
