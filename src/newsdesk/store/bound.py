"""What every repository holds: one connection inside one open transaction, and the dialect."""

from __future__ import annotations

from sqlalchemy import Connection

from newsdesk.store.dialect import StoreDialect


class Bound:
    """Base of the repositories; they share the transaction they were opened in."""

    def __init__(self, conn: Connection, dialect: StoreDialect) -> None:
        self._conn = conn
        self._dialect = dialect
