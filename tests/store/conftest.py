"""Store fixtures: every store test runs on SQLite and, when it answers, on PostgreSQL.

PostgreSQL tests get a fresh schema each (search_path in the URL), dropped afterwards, so they
are isolated and safe to run in parallel. Without CI=true they skip when no server answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store
from support.store import ArticleFactory, pg_schema, signature

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The PostgreSQL server URL, or a skip (a failure under CI=true) when it does not answer."""
    url = make_url(PG_URL).set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error as exc:
        why = " ".join(str(exc).split())
        message = f"PostgreSQL not reachable at {url.render_as_string()}: {why}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return PG_URL


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL on an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    with pg_schema(admin_url) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def make_article() -> ArticleFactory:
    """Build a NewArticle; fingerprint fields come from hash=, sig=, keys=."""

    def build(
        title: str = "A title",
        text: str = "Some text.",
        *,
        hash: str | None = None,
        sig: int = 1,
        keys: tuple[bytes, ...] = (),
        **fields: Any,
    ) -> NewArticle:
        fingerprint = Fingerprint(
            content_hash=hash or uuid.uuid4().hex, signature=signature(sig), band_keys=keys
        )
        fields.setdefault("source", "Example News")
        fields.setdefault("published", datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
        return NewArticle(title=title, text=text, fingerprint=fingerprint, **fields)

    return build
