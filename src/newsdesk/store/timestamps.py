"""One place where datetimes cross into and out of the database: always timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A DateTime column that takes and gives timezone-aware UTC datetimes.

    PostgreSQL stores timestamptz; SQLite has no zone, so the value is converted to UTC first and
    its fields are stored as they are (SQLAlchemy's SQLite DATETIME ignores tzinfo), then read back
    as naive UTC and made aware again here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # Naive values inside newsdesk are UTC by convention, as in dates.sane_datetime.
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value  # the DateTime impl has already parsed the column
        if stored.tzinfo is None:
            return stored.replace(tzinfo=UTC)
        return stored.astimezone(UTC)
