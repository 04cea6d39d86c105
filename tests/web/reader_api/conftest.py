"""The live site the feed-reader apps' tests drive: the real app under uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.web.app import create_app
from support.live import serving
from support.reader_apps import ReaderSite, build_store


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReaderSite]:
    settings, ids = build_store(tmp_path_factory.mktemp("reader"))
    with serving(create_app(settings), "reader", ready_path="/login") as base_url:
        yield ReaderSite(base_url, settings, ids)
