"""The semantic side of search: an ANN index (usearch HNSW) over the stored article vectors.

The store is the truth and the index file a checkpoint of it, kept beside the store (SQLite:
"<db file>-vectors.usearch"; PostgreSQL: the path in settings.vector_index, or none, and each
process then builds its index in memory). Every search first catches the index up with the
store, so several processes (web workers, the poller, the CLI) stay consistent without talking
to each other:

- each process holds its own copy, loaded from the file or rebuilt from the stored vectors;
- before a query it adds the vectors stored past its high-water mark (the largest article id it
  holds: one indexed read of the newest id), and every RECONCILE_SECONDS it compares its size
  with the stored count and, when they differ (an article enriched out of order, or deleted),
  adds and removes what differs;
- it writes the file back (a new file renamed over the old, so a reader never sees half of
  one) once SAVE_AFTER vectors were added since the last write, so a restarted process has
  little to catch up.

The file carries a header with the model, the count, the high-water mark and a sha256 of the
index bytes: a file that is missing, of another model, torn or corrupt is rebuilt from the store
(one warning), and when the ANN library is missing or fails the index answers exactly with numpy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Select, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from newsdesk.store.schema import article_vectors
from newsdesk.store.vectors import VECTOR_DTYPE

log = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]
DIM = 384
MAGIC = b"newsdesk-ann 1\n"
# HNSW: 16 links a node, 128 candidates while adding, 64 while searching: recall@10 0.99 on
# 10^5 news-like vectors at about 0.3 ms a query (docs/search_quality.md, library comparison).
CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH = 16, 128, 64
SAVE_AFTER = 500  # vectors added since the file was written before it is written again
RECONCILE_SECONDS = 300.0  # how often a process compares its size with the stored count
READ_BATCH = 5_000  # vectors read from the store per query while building
# How long the search that finds no index waits for its build (on its own thread) before it
# answers by full text: a small store's index is built well within it, 10^6 vectors take minutes.
FIRST_BUILD_WAIT = 0.5


@dataclass(frozen=True, slots=True)
class Neighbour:
    article_id: int
    similarity: float  # cosine, 1.0 for the same direction


def index_path(db_url: str, configured: str = "") -> Path | None:
    """Where the index file lives: configured, else beside a SQLite file; None: memory only."""
    if configured:
        return Path(configured).expanduser()
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    return Path(str(url.database) + "-vectors.usearch")


class _Backend(Protocol):
    def add(self, ids: npt.NDArray[np.int64], vectors: Matrix) -> None: ...
    def remove(self, ids: Sequence[int]) -> None: ...
    def search(self, vector: Matrix, k: int) -> list[Neighbour]: ...
    def ids(self) -> npt.NDArray[np.int64]: ...
    def __len__(self) -> int: ...


class _Usearch:
    """usearch HNSW, cosine, vectors kept as float16 (half the memory, same recall here)."""

    persistent = True

    def __init__(self, data: bytes | None = None) -> None:
        from usearch.index import Index

        if data is None:
            self._index = Index(
                ndim=DIM,
                metric="cos",
                dtype="f16",
                connectivity=CONNECTIVITY,
                expansion_add=EXPANSION_ADD,
                expansion_search=EXPANSION_SEARCH,
            )
        else:
            restored = Index.restore(bytearray(data))
            if restored is None or restored.ndim != DIM:
                raise ValueError("not an index of this dimension")
            self._index = restored

    def add(self, ids: npt.NDArray[np.int64], vectors: Matrix) -> None:
        """Add, replacing the vectors of ids already held (the library refuses a key twice)."""
        if len(ids):
            keys = ids.astype(np.uint64)
            held = np.asarray(self._index.contains(keys), dtype=bool)
            if held.any():
                self._index.remove(keys[held])
            self._index.add(keys, vectors)

    def remove(self, ids: Sequence[int]) -> None:
        if ids:
            self._index.remove(np.asarray(ids, dtype=np.uint64))

    def search(self, vector: Matrix, k: int) -> list[Neighbour]:
        if not len(self._index):
            return []
        matches: Any = self._index.search(vector, min(k, len(self._index)))
        return [
            Neighbour(int(key), 1.0 - float(distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]

    def ids(self) -> npt.NDArray[np.int64]:
        return np.asarray(self._index.keys, dtype=np.int64)

    def to_bytes(self) -> bytes:
        data = self._index.save()
        if data is None:
            raise ValueError("usearch wrote no bytes")
        return bytes(data)

    def __len__(self) -> int:
        return len(self._index)


class _Exact:
    """Every vector in one numpy matrix, every query against all of them: the fallback."""

    persistent = False

    def __init__(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, DIM), dtype=np.float32)

    def add(self, ids: npt.NDArray[np.int64], vectors: Matrix) -> None:
        keep = ~np.isin(self._ids, ids)
        self._ids = np.concatenate([self._ids[keep], ids])
        self._matrix = np.vstack([self._matrix[keep], vectors.astype(np.float32)])

    def remove(self, ids: Sequence[int]) -> None:
        keep = ~np.isin(self._ids, np.asarray(ids, dtype=np.int64))
        self._ids, self._matrix = self._ids[keep], self._matrix[keep]

    def search(self, vector: Matrix, k: int) -> list[Neighbour]:
        if not len(self._ids):
            return []
        scores = self._matrix @ vector
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Neighbour(int(self._ids[i]), float(scores[i])) for i in top]

    def ids(self) -> npt.NDArray[np.int64]:
        return self._ids

    def __len__(self) -> int:
        return len(self._ids)


class VectorIndex:
    """Nearest stored article vectors of one model; thread-safe, one per process and file."""

    def __init__(self, path: Path | None, model: str) -> None:
        self.path = path
        self.model = model
        self.kind = ""  # "usearch" or "exact", once loaded
        self._lock = threading.Lock()  # held while the index is read, caught up or built
        self._backend: _Backend | None = None
        self._built = threading.Event()  # loaded or built once
        self._worker: threading.Thread | None = None  # loading, building or comparing
        self._worker_lock = threading.Lock()
        self._high_water = 0
        self._checked_at = 0.0
        self._unsaved = 0
        self._warned: set[str] = set()

    @property
    def ready(self) -> bool:
        """Loaded or built: a search now gets its semantic side."""
        return self._built.is_set()

    def nearest(
        self, conn: Connection, vector: Matrix, k: int, *, wait: float | None = FIRST_BUILD_WAIT
    ) -> list[Neighbour]:
        """The k stored vectors most like vector (a unit vector), most similar first.

        The first call of a process loads the file or builds the index from the stored vectors
        on a thread of its own, with its own connection, and waits for it at most wait seconds
        (None: until it is done); past that it returns nothing, so that search answers by full
        text while the build goes on (from every stored vector at 10^6 articles: minutes). The
        comparison with the stored count every RECONCILE_SECONDS runs on such a thread too."""
        if not self._built.is_set():
            worker = self._off_the_request(conn, self._first_sync, "not built")
            if worker is not None:
                worker.join(wait)
            if not self._built.is_set():  # still building, or failed (a warning)
                return []
        elif time.monotonic() - self._checked_at > RECONCILE_SECONDS:
            self._checked_at = time.monotonic()
            self._off_the_request(conn, self._reconcile, "not compared with the store")
        with self._lock:
            backend = self._catch_up(conn)
            return backend.search(np.asarray(vector, dtype=np.float32), k)

    def _off_the_request(
        self, conn: Connection, work: Callable[[Connection], None], failure: str
    ) -> threading.Thread | None:
        """A thread running work with a connection of its own (the one already running, if
        any: one load, build or comparison at a time); None when work ran here instead, on a
        store of one shared connection (SQLite in memory), which no other thread may use."""
        if isinstance(conn.engine.pool, StaticPool):
            work(conn)
            return None
        engine = conn.engine
        with self._worker_lock:
            if self._worker is None or not self._worker.is_alive():

                def run() -> None:
                    try:
                        with engine.connect() as conn:
                            work(conn)
                    except Exception as exc:  # a search must never fail for it
                        log.warning("vector index: %s (%s: %s)", failure, type(exc).__name__, exc)

                self._worker = threading.Thread(target=run, name="vector-index", daemon=True)
                self._worker.start()
            return self._worker

    def __len__(self) -> int:
        return 0 if self._backend is None else len(self._backend)

    # -- keeping up with the store ---------------------------------------------------------------

    def _first_sync(self, conn: Connection) -> None:
        """Load the file or build the index, then match it with the store (the file may be
        older); a failure leaves nothing half built, and the next search tries again."""
        with self._lock:
            if self._built.is_set():
                return
            try:
                self._backend = self._load() or self._build(conn)
                self._checked_at = time.monotonic()
                self._catch_up(conn)
            except Exception:
                self._backend = None
                raise
        self._reconcile(conn)
        self._built.set()

    def _catch_up(self, conn: Connection) -> _Backend:
        """Add the vectors stored past the high-water mark (under the lock, before a query)."""
        assert self._backend is not None
        # max(), not ORDER BY ... .first(): the driver would read every id to give the first
        newest = conn.execute(select(func.max(article_vectors.c.article_id))).scalar()
        if newest is not None and newest > self._high_water:
            self._add_rows(conn, self._high_water)
        if self._unsaved >= SAVE_AFTER:
            self._save()
        return self._backend

    def _reconcile(self, conn: Connection) -> None:
        """Add what the store has and the index lacks, remove what the store lost. The store
        is read without the lock (searches go on meanwhile); what the index held is read first,
        so that a vector caught up meanwhile is never taken for one the store lost."""
        with self._lock:
            if self._backend is None:
                return
            held, size = self._backend.ids(), len(self._backend)
        stored = conn.execute(
            select(func.count()).select_from(article_vectors).where(self._of_model())
        ).scalar_one()
        if stored == size:
            return
        ids = np.fromiter(
            conn.execute(select(article_vectors.c.article_id).where(self._of_model())).scalars(),
            dtype=np.int64,
        )
        gone = np.setdiff1d(held, ids)
        missing = np.setdiff1d(ids, held)
        with self._lock:
            self._backend.remove([int(i) for i in gone])
        for start in range(0, len(missing), READ_BATCH):
            chunk = missing[start : start + READ_BATCH]
            rows = conn.execute(
                self._vectors().where(article_vectors.c.article_id.in_([int(i) for i in chunk]))
            ).all()
            with self._lock:
                self._add_batch(rows)
        with self._lock:
            self._unsaved += len(gone)
        log.info("vector index: %d added, %d removed to match the store", len(missing), len(gone))

    def _add_rows(self, conn: Connection, after: int) -> None:
        """Add every stored vector past the article id after, READ_BATCH rows a query (10^6
        vectors are never in memory twice)."""
        while True:
            query = self._vectors().where(article_vectors.c.article_id > after)
            rows = conn.execute(query.limit(READ_BATCH)).all()
            if not rows:
                return
            self._add_batch(rows)
            after = int(rows[-1].article_id)

    def _add_batch(self, rows: Sequence[Any]) -> None:
        assert self._backend is not None
        ids = np.array([row.article_id for row in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(row.vector for row in rows), dtype=VECTOR_DTYPE)
        matrix = matrix.reshape(len(rows), -1).astype(np.float32)
        if matrix.shape[1] != DIM:
            raise ValueError(f"stored vectors have {matrix.shape[1]} dimensions, not {DIM}")
        self._backend.add(ids, matrix)
        self._high_water = max(self._high_water, int(ids.max()))
        self._unsaved += len(rows)

    def _vectors(self) -> Select[Any]:
        return (
            select(article_vectors.c.article_id, article_vectors.c.vector)
            .where(self._of_model())
            .order_by(article_vectors.c.article_id)
        )

    def _of_model(self) -> Any:
        return article_vectors.c.model == self.model

    # -- the file --------------------------------------------------------------------------------

    def _new_backend(self, data: bytes | None = None) -> _Backend:
        try:
            backend: _Backend = _Usearch(data)
            self.kind = "usearch"
        except ImportError:
            self._warn("library", "vector index: usearch is not installed; exact search instead")
            backend = _Exact()
            self.kind = "exact"
        return backend

    def _build(self, conn: Connection) -> _Backend:
        started = time.perf_counter()
        self._backend = self._new_backend()
        self._high_water = 0
        self._add_rows(conn, 0)
        log.info(
            "vector index: built from %d stored vectors in %.1f s",
            len(self._backend),
            time.perf_counter() - started,
        )
        self._save()
        return self._backend

    def _load(self) -> _Backend | None:
        """The index in the file, or None (missing: quietly; unreadable: one warning)."""
        if self.path is None or not self.path.exists():
            return None
        try:
            raw = self.path.read_bytes()
            if not raw.startswith(MAGIC):
                raise ValueError("no header")
            head_end = raw.index(b"\n", len(MAGIC))
            head = json.loads(raw[len(MAGIC) : head_end])
            payload = raw[head_end + 1 :]
            if hashlib.sha256(payload).hexdigest() != head["sha256"]:
                raise ValueError("checksum mismatch")
            if head["model"] != self.model or head["dim"] != DIM:
                raise ValueError(f"made for {head['model']} ({head['dim']} dimensions)")
            backend = self._new_backend(payload)
            if len(backend) != head["count"]:
                raise ValueError("count mismatch")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self._warn("file", f"vector index: {self.path.name} unusable ({exc}); rebuilding")
            return None
        self._high_water = int(head["high_water"])
        self._unsaved = 0
        return backend

    def _save(self) -> None:
        """Write the index beside the store (a new file renamed over the old one)."""
        backend = self._backend
        if self.path is None or not isinstance(backend, _Usearch):
            self._unsaved = 0
            return
        payload = backend.to_bytes()
        head = {
            "model": self.model,
            "dim": DIM,
            "count": len(backend),
            "high_water": self._high_water,
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(MAGIC + json.dumps(head).encode() + b"\n" + payload)
                os.chmod(tmp, 0o644)  # as the store's own files: other users' processes read it
                os.replace(tmp, self.path)
            except OSError:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            self._warn("save", f"vector index: cannot write {self.path} ({exc}); kept in memory")
        self._unsaved = 0

    def _warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)


_shared: dict[tuple[str, str], VectorIndex] = {}
_shared_lock = threading.Lock()


def shared_index(path: Path | None, model: str, store_key: str) -> VectorIndex:
    """The one VectorIndex of this process for this file (or store, when memory only)."""
    key = (str(path) if path is not None else store_key, model)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = VectorIndex(path, model)
        return _shared[key]


def index_for(db_url: str, configured: str, model: str) -> VectorIndex:
    """The process's index for the store at db_url (settings.db_url, settings.vector_index)."""
    return shared_index(index_path(db_url, configured), model, db_url)
