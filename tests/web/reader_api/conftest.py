"""The live site the feed-reader apps' tests drive: the real app under uvicorn on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import uvicorn

from newsdesk.web.app import create_app
from support.reader_apps import ReaderSite, build_store, free_port, wait_until_up


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReaderSite]:
    settings, ids = build_store(tmp_path_factory.mktemp("reader"))
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws="none",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="reader-uvicorn", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, thread)
        yield ReaderSite(base_url, settings, ids)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        assert not thread.is_alive(), "the uvicorn server did not stop"
