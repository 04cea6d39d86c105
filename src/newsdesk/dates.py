"""Dates from outside are untrusted: make them timezone-aware and refuse absurd ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import dateutil.parser

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones and clock skew; anything later is a typo


def utcnow() -> datetime:
    return datetime.now(UTC)


def sane_datetime(value: datetime | str | None, now: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime (naive ones are taken as UTC), or None when absent or absurd."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            try:
                value = dateutil.parser.parse(text)
            except (ValueError, OverflowError):
                return None
    if value.tzinfo is not None and value.utcoffset() is not None:
        # dateutil may hand back tzlocal() for "Z": pin the offset it meant.
        value = value.replace(tzinfo=timezone(value.utcoffset()))  # type: ignore[arg-type]
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    now = now or utcnow()
    try:
        if value < EARLIEST or value > now + FUTURE_SLACK:
            return None
    except OverflowError:
        return None
    return value
