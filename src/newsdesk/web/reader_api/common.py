"""The plumbing both dialects share: parameters from the query and the form, and store work in
a worker thread holding a store slot, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from newsdesk.web.deps import get_app
from newsdesk.web.store_slots import slots_of

T = TypeVar("T")
Params = dict[str, list[str]]
MAX_VALUES = 1000  # of one parameter (item ids marked at once)
MAX_NUMBER = 2**31 - 1  # ids, counts, limits: the store's ids end there on PostgreSQL
MAX_DIGITS = 24


async def params_of(request: Request) -> Params:
    """Query and form values together (apps send some in one, some in the other)."""
    found: Params = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    if request.method == "POST":
        form = await request.form()
        for key, field in form.multi_items():
            if isinstance(field, str):
                found.setdefault(key, []).append(field)
        await form.close()
    return {key: values[:MAX_VALUES] for key, values in found.items()}


def first(params: Params, key: str, default: str = "") -> str:
    values = params.get(key)
    return values[0] if values else default


def number(params: Params, key: str, largest: int = MAX_NUMBER) -> int | None:
    """An integer parameter, or None when absent, not a number or beyond +-largest (no id,
    count or limit is larger: a bigger one names nothing, and the store refuses it)."""
    text = first(params, key).strip()
    if not text or len(text) > MAX_DIGITS:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if -largest <= value <= largest else None


async def in_transaction(request: Request, work: Callable[..., T], *, write: bool) -> T:
    """work(repo) in one transaction (read-only unless write), off the event loop."""
    store = get_app(request).store

    def run() -> T:
        with store.transaction(readonly=not write) as repo:
            return work(repo)

    async with slots_of(request.app).held():
        return await anyio.to_thread.run_sync(run)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
