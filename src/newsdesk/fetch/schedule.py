"""When to poll a source again, and what a Retry-After header asks for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_BACKOFF = 24 * 3600.0  # a failing source is still tried once a day


def next_check(
    now: datetime, *, error_count: int, interval: float, retry_after: float | None = None
) -> datetime:
    """`now` plus the interval, doubled per consecutive error, capped at 24 h (or the interval).

    Deterministic (no jitter). A server's Retry-After lengthens the wait, within the same cap.
    """
    cap = max(MAX_BACKOFF, interval)
    errors = max(0, error_count)
    delay = interval * 2.0 ** min(errors, 32)  # the exponent is bounded so it never overflows
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return now + timedelta(seconds=min(delay, cap))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); None if absent."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
