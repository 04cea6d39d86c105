"""Named locks shared by every process on every host that opens the same store.

On PostgreSQL a lock is a session advisory lock on a connection of its own, held until release()
or until the holder dies: a process killed with kill -9 loses its connection, and the lock with
it, at once (no TTL to wait out). On SQLite, whose processes all share one host, it is an flock
on a file beside the database, released by the kernel the same way.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from types import TracebackType
from typing import IO

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from newsdesk.errors import StoreError
from newsdesk.store import Store

log = logging.getLogger("newsdesk.distributed")

SCHEDULER = "scheduler"  # one scheduler at a time
PLACEMENT = "placement"  # one placement consumer at a time
DEDUP = "dedup"  # one item deciding new / duplicate at a time (extraction stays parallel)


NAMESPACE = 0x6E647368  # "ndsh": the first key of newsdesk's two-key advisory locks


def lock_key(name: str) -> dict[str, int]:
    """Stable 32-bit keys (namespace, name) for an advisory lock: two-key locks keep clear of
    the one-key (bigint) space other code uses, and fit the store's integer bounds."""
    digest = hashlib.blake2b(f"newsdesk:{name}".encode(), digest_size=4).digest()
    return {"space": NAMESPACE, "key": int.from_bytes(digest, "big", signed=True)}


class StoreLock:
    """One named lock; try_acquire() says whether it was free, acquire() waits for it."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        return self._take(wait=False)

    def still_held(self) -> bool:
        """Whether the lock is still ours: a PostgreSQL lock goes with its connection (a
        server restart, a terminated backend), and then another process may hold it. A lost
        lock is released here, so try_acquire() or acquire() can take it again."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except SQLAlchemyError:
            log.warning("lock %s: its connection is gone, and the lock with it", self.name)
            self.release()
            return False
        return True

    def acquire(self) -> None:
        self._take(wait=True)

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:space, :key)"), lock_key(self.name))
                conn.commit()
            except SQLAlchemyError:
                pass  # the connection is gone, and the lock went with it
            finally:
                conn.close()
        held, self._file = self._file, None
        if held is not None:
            fcntl.flock(held, fcntl.LOCK_UN)
            held.close()

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _take(self, *, wait: bool) -> bool:
        if self.held:
            return True
        if self.store.dialect == "postgresql":
            return self._take_advisory(wait)
        if self.store.dialect == "sqlite":
            return self._take_file(wait)
        raise StoreError(f"store: no lock for a {self.store.dialect} store")

    def _take_advisory(self, wait: bool) -> bool:
        call = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        try:
            conn = self.store.engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(f"store: lock {self.name}: cannot connect: {exc}") from exc
        try:
            got = conn.execute(text(f"SELECT {call}(:space, :key)"), lock_key(self.name)).scalar()
            conn.commit()  # a session lock outlives the transaction; no transaction left idle
        except SQLAlchemyError as exc:
            conn.close()
            raise StoreError(f"store: lock {self.name}: {exc}") from exc
        if wait or got:
            self._conn = conn
            return True
        conn.close()
        return False

    def _take_file(self, wait: bool) -> bool:
        path = _sqlite_path(self.store.engine.url.database) + f".{self.name}.lock"
        handle = Path(path).open("ab")  # noqa: SIM115 - held open for as long as the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True


def _sqlite_path(database: str | None) -> str:
    if not database or database == ":memory:":
        # one process only: a lock file per process is as good as none, and harmless
        return os.path.join(os.getcwd(), f".newsdesk-memory-{os.getpid()}")
    return database
