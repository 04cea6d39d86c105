"""A small web app for the account and comment tests: auth installed, W2's routers, one page.

It stands in for create_app so these tests need only the store (no sample data, no models).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password
from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.web import accounts, auth, comments
from newsdesk.web.deps import templates

PAGE = '{% extends "base.html" %}{% block content %}{% include "_comments.html" %}{% endblock %}'
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(db: Path) -> FastAPI:
    app = FastAPI()
    app.state.newsdesk = build(Settings(db=str(db), workers=1, enrich=False))
    auth.install(app)  # the site's own templates (deps.templates): filters and csrf_token
    app.include_router(accounts.router)
    app.include_router(comments.router)

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        return "home"

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: int) -> str:
        with app.state.newsdesk.store.transaction(readonly=True) as repo:
            context = comments.comments_context(
                repo, "article", article_id, auth.current_user(request)
            )
        return templates.env.from_string(PAGE).render(request=request, **context)

    return app


@contextmanager
def running(db: Path) -> Iterator[FastAPI]:
    app = make_app(db)
    try:
        yield app
    finally:
        app.state.newsdesk.close()


def csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token a form on path carries for this client."""
    found = _CSRF.search(client.get(path).text)
    assert found, f"no csrf_token on {path}"
    return found.group(1)


def add_user(app: FastAPI, name: str, role: str = "member") -> None:
    with app.state.newsdesk.store.transaction() as repo:
        repo.create_user(name, hash_password(PASSWORD), role, utcnow())


def log_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    answer = client.post(
        "/login", data={"name": name, "password": PASSWORD, "csrf_token": csrf(client)}
    )
    assert answer.status_code == 200, answer.text  # followed the redirect
    return client
