"""The polling schedule: steady when healthy, doubling on errors, capped, deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.fetch import next_check

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOUR = 3600.0


def test_healthy_source_waits_the_interval() -> None:
    assert next_check(NOW, error_count=0, interval=HOUR) == NOW + timedelta(hours=1)


def test_errors_double_the_wait() -> None:
    waits = [next_check(NOW, error_count=n, interval=HOUR) - NOW for n in range(1, 4)]
    assert waits == [timedelta(hours=2), timedelta(hours=4), timedelta(hours=8)]


def test_backoff_is_capped_at_a_day() -> None:
    assert next_check(NOW, error_count=5, interval=HOUR) == NOW + timedelta(hours=24)
    assert next_check(NOW, error_count=10_000, interval=HOUR) == NOW + timedelta(hours=24)


def test_an_interval_over_a_day_is_kept() -> None:
    week = 7 * 24 * HOUR
    assert next_check(NOW, error_count=3, interval=week) == NOW + timedelta(days=7)


def test_retry_after_lengthens_but_is_capped() -> None:
    assert next_check(NOW, error_count=1, interval=60, retry_after=600) == NOW + timedelta(
        minutes=10
    )
    assert next_check(NOW, error_count=0, interval=HOUR, retry_after=30) == NOW + timedelta(hours=1)
    assert next_check(NOW, error_count=0, interval=HOUR, retry_after=1e9) == NOW + timedelta(days=1)


def test_deterministic_and_aware() -> None:
    one = next_check(NOW, error_count=2, interval=HOUR)
    assert one == next_check(NOW, error_count=2, interval=HOUR)
    assert one.tzinfo is not None
