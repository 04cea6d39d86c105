"""Job runners: where the CPU-heavy, store-free half of ingest runs.

The local runner uses a process pool (extraction is CPU-bound) and yields results in job order with
a bounded window, so a huge input never sits in memory at once. A small batch runs in-process:
starting workers costs more than it saves.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_PROCESS_BELOW = 16  # jobs; fewer than this run in-process


class Runner(Protocol):
    def map(self, fn: Callable[[T], R], jobs: Iterable[T], size: int | None = None) -> Iterator[R]:
        """Results of fn over jobs, in job order."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


class LocalRunner:
    """A process pool on this machine (workers=0: one per core; 1: in-process).

    The pool starts on first use and lives until close(): workers keep their loaded models
    (spaCy, the embedder) from one batch to the next.
    """

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, fn: Callable[[T], R], jobs: Iterable[T], size: int | None = None) -> Iterator[R]:
        if self.workers <= 1 or (size is not None and size < IN_PROCESS_BELOW):
            yield from (fn(job) for job in jobs)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        window: deque[Future[R]] = deque()
        limit = self.workers * 8
        for job in jobs:
            window.append(self._pool.submit(fn, job))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
