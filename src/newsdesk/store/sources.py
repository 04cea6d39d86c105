"""Subscribed sources and their polling state (conditional GET validators, errors, next check)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, nulls_first, or_, select

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.models import SourceRecord
from newsdesk.store.bound import Bound
from newsdesk.store.schema import sources

MAX_ERROR_CHARS = 500


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _one_line(error: str) -> str:
    return " ".join(error.split())[:MAX_ERROR_CHARS] or "unknown error"


def _record(row: Row[Any]) -> SourceRecord:
    return SourceRecord(
        id=row.id,
        url=row.url,
        kind=row.kind,
        title=row.title,
        site_url=row.site_url,
        category=row.category,
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled=row.last_polled,
        next_check=row.next_check,
        error_count=row.error_count,
        last_error=row.last_error,
    )


class SourceRepo(Bound):
    def upsert_source(
        self,
        url: str,
        *,
        kind: str = "feed",
        title: str | None = None,
        site_url: str | None = None,
        category: str | None = None,
    ) -> SourceRecord:
        """Subscribe to url once; a repeat fills missing title/site_url/category, never blanks."""
        stmt = self._dialect.insert(sources).values(
            url=url,
            kind=kind,
            title=_blank_to_none(title),
            site_url=_blank_to_none(site_url),
            category=_blank_to_none(category),
            error_count=0,
            created_at=utcnow(),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["url"],
            set_={
                name: func.coalesce(sources.c[name], stmt.excluded[name])
                for name in ("title", "site_url", "category")
            },
        )
        self._conn.execute(stmt)
        return self.get_source(url)

    def list_sources(self) -> list[SourceRecord]:
        """Every source, in the order they were added."""
        rows = self._conn.execute(select(sources).order_by(sources.c.id))
        return [_record(row) for row in rows]

    def get_source(self, key: int | str) -> SourceRecord:
        """The source with this id (int) or url (str); NotFoundError when there is none."""
        column = sources.c.id if isinstance(key, int) else sources.c.url
        row = self._conn.execute(select(sources).where(column == key)).first()
        if row is None:
            raise NotFoundError(f"store: no source {key!r}")
        return _record(row)

    def due_sources(self, now: datetime, limit: int = 100) -> list[SourceRecord]:
        """Sources never polled or whose next_check has come, the longest waiting first."""
        query = (
            select(sources)
            .where(or_(sources.c.next_check.is_(None), sources.c.next_check <= now))
            .order_by(nulls_first(sources.c.next_check), sources.c.id)
            .limit(limit)
        )
        return [_record(row) for row in self._conn.execute(query)]

    def next_due_at(self, now: datetime) -> datetime | None:
        """When the next source falls due: `now` if one was never polled, None with no sources."""
        never = select(sources.c.id).where(sources.c.next_check.is_(None)).limit(1)
        if self._conn.execute(never).first() is not None:
            return now
        return self._conn.execute(select(func.min(sources.c.next_check))).scalar()

    def record_poll(
        self,
        source_id: int,
        *,
        now: datetime,
        next_check: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
    ) -> SourceRecord:
        """Note a poll: success resets the error count and keeps new validators; failure counts."""
        values: dict[str, Any] = {"last_polled": now, "next_check": next_check}
        if error is None:
            values.update(error_count=0, last_error=None)
            if etag is not None:
                values["etag"] = etag
            if last_modified is not None:
                values["last_modified"] = last_modified
        else:
            values.update(error_count=sources.c.error_count + 1, last_error=_one_line(error))
        stmt = sources.update().where(sources.c.id == source_id).values(**values)
        if self._conn.execute(stmt).rowcount != 1:
            raise NotFoundError(f"store: no source {source_id!r}")
        return self.get_source(source_id)
