"""Account housekeeping: expired sessions and stale failed logins are purged, throttling holds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk import accounts
from newsdesk.accounts import purge_accounts
from newsdesk.dates import utcnow
from newsdesk.web import auth
from newsdesk.web.background import BackgroundPoller

from .accounts_app import PASSWORD, add_user, csrf, log_in, running

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    with running(tmp_path / "web.db") as built:
        add_user(built, "alice")
        yield built


def _session(app: FastAPI, token: str, expires: datetime) -> None:
    with app.state.newsdesk.store.transaction() as repo:
        user = repo.user_by_name("alice")
        assert user is not None
        created = expires - timedelta(days=auth.SESSION_DAYS)
        repo.create_session(accounts.token_hash(token), user.id, "secret", created, expires)


def _session_kept(app: FastAPI, token: str) -> bool:
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        return repo.session_user(accounts.token_hash(token), LONG_AGO) is not None  # expired or not


def _failures(app: FastAPI, key: str) -> int:
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        return repo.login_failures(key, LONG_AGO)


def test_purge_deletes_expired_sessions_and_old_failures_only(app: FastAPI) -> None:
    now = utcnow()
    _session(app, "expired", now - timedelta(seconds=1))
    _session(app, "fresh", now + timedelta(days=1))
    window = accounts.THROTTLE_WINDOW
    with app.state.newsdesk.store.transaction() as repo:
        repo.record_login_failure(["user:old", "ip:1.2.3.4"], now - window - timedelta(minutes=1))
        repo.record_login_failure(["user:recent"], now - window + timedelta(minutes=1))
    client = log_in(app, "alice")  # a real session too

    assert purge_accounts(app.state.newsdesk.store, now) == (1, 2)

    assert not _session_kept(app, "expired") and _session_kept(app, "fresh")
    assert _failures(app, "user:old") == 0 and _failures(app, "ip:1.2.3.4") == 0
    assert _failures(app, "user:recent") == 1
    token = csrf(client, "/login")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 200  # still in
    assert purge_accounts(app.state.newsdesk.store, now) == (0, 0)


def test_throttling_still_locks_after_a_purge(app: FastAPI) -> None:
    client = TestClient(app)
    form = {"name": "alice", "password": "nope nope", "csrf_token": csrf(client)}
    for _ in range(accounts.MAX_USER_FAILURES):
        assert client.post("/login", data=form).status_code == 401
    purge_accounts(app.state.newsdesk.store, utcnow())
    assert _failures(app, "user:alice") == accounts.MAX_USER_FAILURES  # inside the window: kept
    locked = client.post("/login", data={**form, "password": PASSWORD})
    assert locked.status_code == 429 and "locked for 15 minutes" in locked.text
    # Once the window has passed, a purge forgets them and the right password works again.
    purge_accounts(app.state.newsdesk.store, utcnow() + accounts.THROTTLE_WINDOW)
    assert _failures(app, "user:alice") == 0
    answer = client.post("/login", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303


def test_background_thread_purges_with_polling_off(app: FastAPI) -> None:
    _session(app, "expired", utcnow() - timedelta(seconds=1))
    worker = BackgroundPoller(app.state.newsdesk, every=0.05, poll=False)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while _session_kept(app, "expired") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _session_kept(app, "expired")
    finally:
        worker.stop()
    assert not worker.alive
