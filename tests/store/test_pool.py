"""The PostgreSQL pool: a connection idle past IDLE_PING_SECONDS is pinged before use and
replaced when the server dropped it; one used within it is handed out without a round trip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from newsdesk.errors import StoreError
from newsdesk.store import Store, dialect
from support.store import pg_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    with pg_schema(pg_admin_url) as url:
        yield url


def _backend_pid(store: Store) -> int:
    with store.transaction(readonly=True) as repo:
        pid: int = repo._conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return pid


def _terminate(url: str, pid: int) -> None:
    """What a server restart does to a pooled connection: its backend goes away."""
    admin = create_engine(url, poolclass=NullPool)
    with admin.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_unseen(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialect, "IDLE_PING_SECONDS", 0.0)  # every pooled connection is "idle"
    with Store.open(pg_url) as store:
        dropped = _backend_pid(store)
        _terminate(pg_url, dropped)
        assert _backend_pid(store) != dropped  # pinged, found dead, replaced: no error


def test_a_connection_used_within_the_window_is_not_pinged(pg_url: str) -> None:
    """No round trip before a recently used connection is handed out: a backend dropped in the
    window fails that one transaction, and the pool then replaces its connections."""
    with Store.open(pg_url) as store:
        dropped = _backend_pid(store)
        _terminate(pg_url, dropped)
        with pytest.raises(StoreError, match=r"^store: transaction failed"):
            _backend_pid(store)
        assert _backend_pid(store) != dropped
