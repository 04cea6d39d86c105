"""An id the store cannot hold (2^31 on PostgreSQL, 2^63 on SQLite, or any longer number) names
nothing: every page, API route and feed that takes one answers 404, the CLI one error line."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from starlette.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.accounts import hash_password, token_hash
from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.web.app import create_app

from .accounts_app import PASSWORD, csrf, log_in

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Just past each store's range, both ways, and far past it.
BEYOND = {
    "sqlite": [2**63, -(2**63) - 1, 10**40],
    "postgresql": [2**31, -(2**31) - 1, 2**63, 10**40],
}
TOKEN = "id-range-test-token-0123456789"
PAGES = ["/article/{n}", "/story/{n}", "/comments/article/{n}", "/comments/story/{n}"]
API = [
    "/api/v1/articles/{n}",
    "/api/v1/articles/{n}/related",
    "/api/v1/stories/{n}",
    "/api/v1/comments?kind=article&target_id={n}",
    "/api/v1/comments?kind=story&target_id={n}",
    "/feeds/story/{n}.atom",
]
FORMS = [
    "/story/{n}/ask",
    "/comments/article/{n}",
    "/comments/story/{n}",
    "/comments/{n}/edit",
    "/comments/{n}/delete",
    "/comments/{n}/hide",
    "/comments/{n}/unhide",
    "/admin/sources/{n}/poll",
]


def _postgres_url() -> Iterator[str]:
    """A fresh schema on the test server (dropped afterwards), or a skip when none answers."""
    admin_url = make_url(PG_URL)
    try:
        psycopg.connect(
            admin_url.set(drivername="postgresql").render_as_string(False), connect_timeout=3
        ).close()
    except psycopg.Error as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = admin_url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "ids.db")
    else:
        yield from _postgres_url()


@pytest.fixture
def app(db: str) -> Iterator[FastAPI]:
    built = create_app(Settings(db=db, workers=1, enrich=False, page_cache_seconds=0))
    with TestClient(built):  # the lifespan: the store is open
        with built.state.newsdesk.store.transaction() as repo:
            admin = repo.create_user("admin", hash_password(PASSWORD), "admin", utcnow())
            repo.create_api_token(token_hash(TOKEN), admin.id, "test", utcnow())
        yield built


def test_pages_api_and_feeds_answer_404(app: FastAPI) -> None:
    client = TestClient(app, raise_server_exceptions=False)
    for n in BEYOND[app.state.newsdesk.store.dialect]:
        for path in PAGES:
            answer = client.get(path.format(n=n))
            assert answer.status_code == 404, (path, n, answer.text[:200])
            assert answer.headers["content-type"].startswith("text/html")
        for path in API:
            answer = client.get(path.format(n=n))
            assert answer.status_code == 404, (path, n, answer.text[:200])
            assert answer.json()["error"]["code"] == "not_found"
        asked = client.post("/api/v1/ask", json={"question": "What happened?", "story_id": n})
        assert asked.status_code == 404, asked.text
        posted = client.post(
            "/api/v1/comments",
            json={"kind": "article", "target_id": n, "body": "hello"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert posted.status_code == 404, posted.text


def test_forms_answer_404(app: FastAPI) -> None:
    admin = log_in(app, "admin")
    token = csrf(admin, "/admin/sources")
    for n in BEYOND[app.state.newsdesk.store.dialect]:
        for path in FORMS:
            answer = admin.post(
                path.format(n=n),
                data={"csrf_token": token, "q": "What?", "body": "hello", "next": "/"},
            )
            assert answer.status_code == 404, (path, n, answer.text[:200])


@pytest.mark.parametrize("command", [["show"], ["story", "show"], ["brief"], ["related"]])
def test_cli_says_not_found_in_one_line(command: list[str], tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    for n in (2**63, 10**40):
        result = runner.invoke(cli, ["--db", db, *command, str(n)])
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith("error: store: no id "), result.output
        assert "Traceback" not in result.output
