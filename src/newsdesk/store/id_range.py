"""Numbers the database cannot hold never reach it: an id beyond its range names nothing.

Ids come from outside (URLs, forms, the command line) as Python integers of any size, but the
store's columns are 64-bit on SQLite and 32-bit INTEGER on PostgreSQL. Sent as they are, such a
number fails inside the driver (OverflowError, "integer out of range"; on PostgreSQL it also
aborts the transaction). No row can carry it, so a read that names it finds nothing: the guard
raises NotFoundError before the statement runs, for every query of every caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Engine, event

from newsdesk.errors import NotFoundError

SHOWN_DIGITS = 30  # a longer number is described, not printed (and str() of one is slow)


def install(engine: Engine, largest: int) -> None:
    """Refuse, before it runs, any statement with an integer outside [-largest - 1, largest]:
    NotFoundError, the transaction still usable."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        beyond = first_beyond(parameters, largest)
        if beyond is None:
            return
        # Reads and writes alike: the integers a statement carries are ids (a row to read, a
        # story or comment to attach to), limits and counts, which never come near the range.
        raise NotFoundError(f"store: no id {describe(beyond)}: ids end at {largest}")


def first_beyond(parameters: Any, largest: int) -> int | None:
    """The first integer among the statement's parameters (one set or many) out of range."""
    for value in _values(parameters):
        if isinstance(value, int) and not -largest - 1 <= value <= largest:
            return value
    return None


def describe(number: int) -> str:
    if abs(number) >= 10**SHOWN_DIGITS:
        return f"<{SHOWN_DIGITS}+ digits>"
    return str(number)


def _values(parameters: Any) -> Iterable[Any]:
    if isinstance(parameters, Mapping):
        yield from parameters.values()
    elif isinstance(parameters, list | tuple):
        for item in parameters:
            if isinstance(item, Mapping | list | tuple):  # executemany: one set per row
                yield from _values(item)
            else:
                yield item
