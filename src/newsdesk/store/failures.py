"""Failed items: items that failed to fetch or extract, counted per source and URL, for a retry.

Whoever runs an item (the local poller, a worker's ingest task) records every failed attempt
with record_failure and calls forget_failure once the item is stored. An item whose attempts
reach settings.item_attempts is held back: it is not tried again until retried by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, delete, func, select

from newsdesk.dates import utcnow
from newsdesk.store.bound import Bound
from newsdesk.store.schema import failed_items, sources

MAX_REASON_CHARS = 500
_IN_CHUNK = 500  # URLs per IN (...) list: well under every backend's bound on parameters


@dataclass(frozen=True, slots=True)
class FailedItem:
    """One failing item: where it came from, why it failed last, how often, and its job."""

    id: int
    source_id: int | None
    source: str | None  # the source's title, else its URL; None for an item of no source
    url: str
    payload: str  # the job as JSON (newsdesk.pipeline.job_codec)
    reason: str  # the last failure, one line
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime


def one_line(reason: str) -> str:
    """The reason as one bounded line."""
    return " ".join(reason.split())[:MAX_REASON_CHARS] or "unknown error"


def _item(row: Row[Any]) -> FailedItem:
    return FailedItem(
        id=row.id,
        source_id=row.source_id,
        source=row.source_title or row.source_url,
        url=row.url,
        payload=row.payload,
        reason=row.reason,
        attempts=row.attempts,
        first_failed_at=row.first_failed_at,
        last_failed_at=row.last_failed_at,
    )


def _with_source() -> Select[Any]:
    return select(
        failed_items,
        sources.c.title.label("source_title"),
        sources.c.url.label("source_url"),
    ).select_from(failed_items.outerjoin(sources, sources.c.id == failed_items.c.source_id))


def _same_source(source_id: int | None) -> ColumnElement[bool]:
    if source_id is None:
        return failed_items.c.source_id.is_(None)
    return failed_items.c.source_id == source_id


def _filters(source_id: int | None, min_attempts: int) -> ColumnElement[bool]:
    where = failed_items.c.attempts >= min_attempts
    if source_id is not None:
        where = and_(where, failed_items.c.source_id == source_id)
    return where


class FailureRepo(Bound):
    def record_failure(
        self,
        *,
        source_id: int | None,
        url: str,
        payload: str,
        reason: str,
        now: datetime | None = None,
    ) -> int:
        """Count one more failed attempt (reason, job and time updated); the attempts so far."""
        when = now or utcnow()
        changes = {"payload": payload, "reason": one_line(reason), "last_failed_at": when}
        if source_id is not None:
            stmt = self._dialect.insert(failed_items).values(
                source_id=source_id, url=url, attempts=1, first_failed_at=when, **changes
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["source_id", "url"],
                set_={"attempts": failed_items.c.attempts + 1, **changes},
            )
            self._conn.execute(stmt)
        else:
            # NULLs never conflict in a unique constraint: an item of no source is found first.
            found = failed_items.update().where(_same_source(None), failed_items.c.url == url)
            found = found.values(attempts=failed_items.c.attempts + 1, **changes)
            if self._conn.execute(found).rowcount == 0:
                self._conn.execute(
                    failed_items.insert().values(
                        source_id=None, url=url, attempts=1, first_failed_at=when, **changes
                    )
                )
        attempts = self._conn.execute(
            select(func.max(failed_items.c.attempts)).where(
                _same_source(source_id), failed_items.c.url == url
            )
        ).scalar_one()
        return int(attempts)

    def failed_items(
        self, limit: int = 100, source_id: int | None = None, min_attempts: int = 1
    ) -> list[FailedItem]:
        """Failing items with at least min_attempts failures, the latest failure first."""
        query = (
            _with_source()
            .where(_filters(source_id, min_attempts))
            .order_by(failed_items.c.last_failed_at.desc(), failed_items.c.id.desc())
            .limit(limit)
        )
        return [_item(row) for row in self._conn.execute(query)]

    def failed_item_ids(self, source_id: int | None = None, min_attempts: int = 1) -> list[int]:
        """The ids of every failing item with at least min_attempts failures, oldest first."""
        query = select(failed_items.c.id).where(_filters(source_id, min_attempts))
        return list(self._conn.execute(query.order_by(failed_items.c.id)).scalars())

    def count_failed_items(self, source_id: int | None = None, min_attempts: int = 1) -> int:
        """How many items have failed at least min_attempts times (of one source, or all)."""
        query = select(func.count()).select_from(failed_items)
        return int(self._conn.execute(query.where(_filters(source_id, min_attempts))).scalar_one())

    def failed_counts_by_source(self, min_attempts: int = 1) -> dict[int, int]:
        """Source id -> its count of items failed at least min_attempts times (none: absent)."""
        query = (
            select(failed_items.c.source_id, func.count())
            .where(failed_items.c.source_id.is_not(None), _filters(None, min_attempts))
            .group_by(failed_items.c.source_id)
        )
        return {source_id: n for source_id, n in self._conn.execute(query)}

    def failure_attempts(self, source_id: int | None, urls: list[str]) -> dict[str, int]:
        """URL -> failed attempts so far, for those of urls (of one source) that have failed."""
        found: dict[str, int] = {}
        for start in range(0, len(urls), _IN_CHUNK):
            query = select(failed_items.c.url, failed_items.c.attempts).where(
                _same_source(source_id), failed_items.c.url.in_(urls[start : start + _IN_CHUNK])
            )
            found.update({url: attempts for url, attempts in self._conn.execute(query)})
        return found

    def get_failed_item(self, item_id: int) -> FailedItem | None:
        """The failing item with this id, or None."""
        row = self._conn.execute(_with_source().where(failed_items.c.id == item_id)).first()
        return None if row is None else _item(row)

    def take_failed_item(self, item_id: int) -> FailedItem | None:
        """Remove the failing item and return it (to run it again), or None when there is none."""
        item = self.get_failed_item(item_id)
        if item is None:
            return None
        gone = self._conn.execute(delete(failed_items).where(failed_items.c.id == item_id))
        return item if gone.rowcount == 1 else None  # another taker won the race

    def forget_failure(self, source_id: int | None, url: str) -> bool:
        """The item is stored at last: drop its record. Whether there was one."""
        stmt = delete(failed_items).where(_same_source(source_id), failed_items.c.url == url)
        return bool(self._conn.execute(stmt).rowcount)

    def forget_failures(self, source_id: int | None, urls: list[str]) -> int:
        """forget_failure for many URLs of one source; how many records went."""
        gone = 0
        for start in range(0, len(urls), _IN_CHUNK):
            chunk = urls[start : start + _IN_CHUNK]
            where = and_(_same_source(source_id), failed_items.c.url.in_(chunk))
            gone += self._conn.execute(delete(failed_items).where(where)).rowcount
        return gone
