"""Times as readers see them: undated stays undated, approximate says "about", updates show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.humanize import dateline, time_ago

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_undated_is_undated() -> None:
    assert time_ago(None, NOW) == "undated"
    assert dateline(None, NOW, approx=True, modified=NOW) == "undated"


def test_approximate_times_say_about() -> None:
    assert dateline(NOW - timedelta(minutes=31), NOW) == "31 minutes ago"
    assert dateline(NOW - timedelta(minutes=31), NOW, approx=True) == "about 31 minutes ago"
    assert dateline(NOW - timedelta(hours=1), NOW, approx=True) == "about an hour ago"


def test_an_old_page_updated_lately_shows_the_update() -> None:
    published = datetime(2012, 3, 5, tzinfo=UTC)
    modified = datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert dateline(published, NOW, modified=modified) == "14 years ago · updated 2026-03-02"
