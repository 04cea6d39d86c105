"""The pages' store, built once per session: the seed page, a few ECB+ stories, a hostile item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.pipeline import collect
from newsdesk.web.app import create_app
from support.pages import NOW, SEED, XSS, PagesData, ecb_stories


def _hostile(path: Path) -> Path:
    record = {
        "url": "https://evil.example/story?q=%3Cscript%3E",
        "title": f"Hostile {XSS} headline",
        "text": (
            f"A paragraph with {XSS} inside it and a link javascript:alert(2) here.\n\n"
            '<a href="javascript:alert(3)">click</a> and <img src=x onerror=alert(4)> too.'
        ),
        "published": "2025-06-02T10:00:00+00:00",
        "source": f"Evil {XSS} Source",
        "lang": "en",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def pages_data(tmp_path_factory: pytest.TempPathFactory) -> PagesData:
    folder = tmp_path_factory.mktemp("pages")
    settings = Settings(db=str(folder / "pages.db"), workers=1)
    with build(settings) as app:
        ids: list[list[int]] = []
        for path in (SEED, ecb_stories(folder / "ecb.jsonl"), _hostile(folder / "hostile.jsonl")):
            batch = collect([path], NOW)
            report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
            assert not report.failures, report.failures
            ids.append(list(report.new_ids))
    return PagesData(settings=settings, seed_ids=ids[0], hostile_id=ids[2][0])


@pytest.fixture(scope="session")
def web_app(pages_data: PagesData) -> FastAPI:
    return create_app(pages_data.settings)


@pytest.fixture(scope="session")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app, follow_redirects=False) as test_client:
        yield test_client
