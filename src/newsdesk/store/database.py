"""Store: opens a database (SQLite or PostgreSQL), migrates it, and hands out transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from newsdesk.errors import ConfigError, StoreBusyError, StoreError
from newsdesk.store import id_range
from newsdesk.store.dialect import READONLY, StoreDialect, dialect_for
from newsdesk.store.migrate import current, upgrade
from newsdesk.store.repo import Repo


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL for url, with plain postgresql:// sent to the psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"store: cannot open {url}: not a database URL ({exc})") from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql" and not (parsed.database or "").strip():
        # Without a name the server picks one (the user's, or "postgres"): tables would land there.
        shown = parsed.render_as_string(hide_password=True)
        raise ConfigError(
            f"store: {shown} names no database: add one, as in postgresql://host/newsdesk"
        )
    return parsed


def _why(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return " ".join(str(cause).split()) or type(cause).__name__


class Store:
    """A database of articles and sources; use transaction() for every read and write."""

    max_connections: int | None = None  # the pool's bound; None: one shared connection

    def __init__(self, engine: Engine, dialect: StoreDialect, url: str) -> None:
        self.engine = engine
        self._dialect = dialect
        self.dialect: str = dialect.name
        self.url = url  # with the password hidden, for messages

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to url (sqlite:///path, postgresql://...) and upgrade its schema to head."""
        parsed = parse_url(url)
        shown = parsed.render_as_string(hide_password=True)
        try:
            dialect = dialect_for(parsed.get_backend_name())
        except ValueError as exc:
            raise StoreError(f"store: cannot open {shown}: {exc}") from None
        memory = parsed.get_backend_name() == "sqlite" and parsed.database in {None, "", ":memory:"}
        pooling = dialect.engine_kwargs(memory)
        try:
            engine = create_engine(parsed, **pooling)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"store: cannot open {shown}: {_why(exc)}") from None
        dialect.configure(engine)
        id_range.install(engine, dialect.largest_int)
        store = cls(engine, dialect, shown)
        if "pool_size" in pooling:
            store.max_connections = pooling["pool_size"] + pooling.get("max_overflow", 0)
        try:
            if migrate:
                upgrade(engine, dialect)
            else:
                with engine.connect():
                    pass
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"store: cannot open {shown}: {_why(exc)}") from exc
        return store

    @contextmanager
    def transaction(self, *, readonly: bool = False) -> Iterator[Repo]:
        """One transaction: committed when the block ends, rolled back when it raises.

        readonly=True promises no writes, which lets SQLite readers run beside a writer; on
        PostgreSQL such a block runs in autocommit (each statement sees its own snapshot at READ
        COMMITTED either way): no BEGIN and COMMIT round trips around a page's few queries.
        """
        try:
            with self.engine.connect() as conn:
                if readonly:
                    conn = conn.execution_options(**{READONLY: True})
                    if self.dialect == "postgresql":
                        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                with conn.begin():
                    yield Repo(conn, self._dialect)
        except PoolTimeoutError as exc:  # every pooled connection stayed busy past pool_timeout
            raise StoreBusyError(f"store: every connection to {self.url} stayed busy") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"store: transaction failed on {self.url}: {_why(exc)}") from exc

    def revision(self) -> str | None:
        """The migration revision the database is at."""
        return current(self.engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
