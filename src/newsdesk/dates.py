"""Dates from outside are untrusted: make them timezone-aware and refuse absurd ones."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone

import dateutil.parser
from dateutil.parser import UnknownTimezoneWarning

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones and clock skew; anything later is a typo


# Zone abbreviations newsrooms print; an ambiguous or unknown one is dropped (read as UTC).
_ZONES = {
    name: int(offset * 3600)
    for name, offset in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "WET": 0,
        "BST": 1,
        "IST": 5.5,
        "CET": 1,
        "CEST": 2,
        "MEZ": 1,
        "MESZ": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
        "JST": 9,
        "KST": 9,
        "HKT": 8,
        "SGT": 8,
        "AEST": 10,
        "AEDT": 11,
        "ACST": 9.5,
        "AWST": 8,
        "NZST": 12,
        "NZDT": 13,
        "SAST": 2,
        "WAT": 1,
        "EAT": 3,
    }.items()
}


def parse_datetime(text: str, default: datetime | None = None) -> datetime | None:
    """A datetime from free text (ISO 8601, RFC 822, "May 3, 2025 10:30 EDT"), or None."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownTimezoneWarning)
        try:
            return dateutil.parser.parse(text, default=default, tzinfos=_ZONES)
        except (ValueError, OverflowError, TypeError):
            return None


def utcnow() -> datetime:
    return datetime.now(UTC)


def sane_datetime(value: datetime | str | None, now: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime (naive ones are taken as UTC), or None when absent or absurd."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            return None
        value = parsed
    offset = value.utcoffset()
    if value.tzinfo is not None and offset is not None:
        # dateutil may hand back tzlocal() for "Z": pin the offset it meant.
        value = value.replace(tzinfo=timezone(offset))
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    now = now or utcnow()
    try:
        if value < EARLIEST or value > now + FUTURE_SLACK:
            return None
    except OverflowError:
        return None
    return value
