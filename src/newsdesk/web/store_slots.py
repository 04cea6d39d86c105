"""Store slots: how many requests may hold a store connection at once, fewer than the pool has.

Why: a sync route's store dependency opens its transaction in one worker thread and the route
runs in another. With a bounded pool, every worker thread could end up waiting for a connection
while the requests holding the connections waited for a thread: the app deadlocked under 50
readers. A request now waits for a slot on the event loop, holding neither a thread nor a
connection, and takes its connection only once it holds a slot; with fewer slots than
connections, a thread that asks the pool for one is served at once (or within the pool's
timeout, when writers and the background poller hold the rest). A wait past `timeout` is a
StoreBusyError, which the app answers with 503 and Retry-After, never a hang.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio.to_thread
from starlette.applications import Starlette

from newsdesk.errors import StoreBusyError
from newsdesk.store.dialect import POOL_OVERFLOW

T = TypeVar("T")
RESERVED = POOL_OVERFLOW  # connections left to writers, the background poller and session look-ups
UNBOUNDED = 64  # slots over a store whose pool never makes a caller wait (in-memory SQLite)
RETRY_AFTER = 5  # seconds a 503 asks the client to wait
POOL_WAIT = 10.0  # seconds a request waits for a slot, as long as the pool makes a thread wait


class StoreSlots:
    """A counting limit on requests holding store connections, one count per event loop."""

    def __init__(self, connections: int | None, timeout: float) -> None:
        self.size = max(1, connections - RESERVED) if connections else UNBOUNDED
        self.timeout = timeout
        # asyncio primitives belong to one loop; a process serves from one, tests from several.
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold a slot for the block; StoreBusyError when none frees up within the timeout."""
        loop = asyncio.get_running_loop()
        slots = self._by_loop.get(loop)
        if slots is None:
            slots = self._by_loop[loop] = asyncio.Semaphore(self.size)
        try:
            async with asyncio.timeout(self.timeout):
                await slots.acquire()
        except TimeoutError:
            raise StoreBusyError(
                f"store: every connection is busy (waited {self.timeout:g} s): try again soon"
            ) from None
        try:
            yield
        finally:
            slots.release()

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """fn(*args) in a worker thread, holding a slot: for store reads outside a route."""
        async with self.held():
            return await anyio.to_thread.run_sync(fn, *args)


def slots_of(app: Starlette) -> StoreSlots:
    """The app's store slots, made on first use from its store's pool bound."""
    slots: StoreSlots | None = getattr(app.state, "store_slots", None)
    if slots is None:
        store = app.state.newsdesk.store
        slots = app.state.store_slots = StoreSlots(store.max_connections, POOL_WAIT)
    return slots
