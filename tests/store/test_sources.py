"""Subscriptions and their polling state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.store import Store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
FEED = "https://example.org/feed.xml"


def test_upsert_is_idempotent_and_fills_in_without_blanking(store: Store) -> None:
    with store.transaction() as repo:
        first = repo.upsert_source(FEED, title="Example", category=None)
        again = repo.upsert_source(FEED, title=None, site_url="https://example.org/", category="")
        third = repo.upsert_source(FEED, title="Renamed", category="News", kind="page")
        assert first.id == again.id == third.id
        assert (first.kind, first.title, first.site_url, first.category) == (
            "feed",
            "Example",
            None,
            None,
        )
        assert (again.title, again.site_url, again.category) == (
            "Example",
            "https://example.org/",
            None,
        )
        # Known values stay: a repeat only fills what was missing.
        assert (third.kind, third.title, third.category) == ("feed", "Example", "News")
        assert [s.url for s in repo.list_sources()] == [FEED]


def test_fresh_source_state(store: Store) -> None:
    with store.transaction() as repo:
        source = repo.upsert_source(FEED)
    assert (source.etag, source.last_modified, source.last_polled, source.next_check) == (
        None,
        None,
        None,
        None,
    )
    assert (source.error_count, source.last_error) == (0, None)


def test_get_source_by_id_or_url(store: Store) -> None:
    with store.transaction() as repo:
        source = repo.upsert_source(FEED)
        assert repo.get_source(source.id) == source
        assert repo.get_source(FEED) == source
        with pytest.raises(NotFoundError, match="no source"):
            repo.get_source(12345)
        with pytest.raises(NotFoundError, match="no source"):
            repo.get_source("https://missing.example/")


def test_list_sources_in_insertion_order(store: Store) -> None:
    urls = [f"https://{name}.example/feed" for name in ("c", "a", "b")]
    with store.transaction() as repo:
        for url in urls:
            repo.upsert_source(url)
        assert [s.url for s in repo.list_sources()] == urls


def test_successful_poll_keeps_validators_and_resets_errors(store: Store) -> None:
    with store.transaction() as repo:
        source = repo.upsert_source(FEED)
        failed = repo.record_poll(source.id, now=NOW, next_check=NOW, error="boom")
        ok = repo.record_poll(
            source.id,
            now=NOW,
            next_check=NOW + timedelta(hours=1),
            etag='W/"abc"',
            last_modified="Sat, 01 Jun 2024 11:00:00 GMT",
        )
        unchanged = repo.record_poll(source.id, now=NOW, next_check=NOW + timedelta(hours=2))
    assert (failed.error_count, failed.last_error) == (1, "boom")
    assert (ok.error_count, ok.last_error, ok.etag) == (0, None, 'W/"abc"')
    assert ok.last_polled == NOW and ok.next_check == NOW + timedelta(hours=1)
    assert ok.next_check.tzinfo == UTC
    # No validators given: the stored ones stay for the next conditional GET.
    assert (unchanged.etag, unchanged.last_modified) == (ok.etag, ok.last_modified)


def test_failed_polls_count_and_keep_validators(store: Store) -> None:
    with store.transaction() as repo:
        source = repo.upsert_source(FEED)
        repo.record_poll(source.id, now=NOW, next_check=NOW, etag="e1", last_modified="lm1")
        repo.record_poll(source.id, now=NOW, next_check=NOW, error="timeout", etag="e2")
        last = repo.record_poll(
            source.id, now=NOW, next_check=NOW, error="  HTTP 500\n  Internal\tError  "
        )
    assert (last.error_count, last.last_error) == (2, "HTTP 500 Internal Error")
    assert (last.etag, last.last_modified) == ("e1", "lm1")


def test_record_poll_on_a_missing_source_raises(store: Store) -> None:
    with store.transaction() as repo, pytest.raises(NotFoundError):
        repo.record_poll(999, now=NOW, next_check=NOW)


def test_due_sources_are_never_polled_or_past_their_next_check(store: Store) -> None:
    with store.transaction() as repo:
        fresh = repo.upsert_source("https://fresh.example/feed")
        overdue = repo.upsert_source("https://overdue.example/feed")
        exact = repo.upsert_source("https://exact.example/feed")
        later = repo.upsert_source("https://later.example/feed")
        repo.record_poll(overdue.id, now=NOW, next_check=NOW - timedelta(hours=2))
        repo.record_poll(exact.id, now=NOW, next_check=NOW)
        repo.record_poll(later.id, now=NOW, next_check=NOW + timedelta(seconds=1))
        due = repo.due_sources(NOW)
        assert [s.id for s in due] == [fresh.id, overdue.id, exact.id]
        assert [s.id for s in repo.due_sources(NOW, limit=2)] == [fresh.id, overdue.id]
        assert len(repo.due_sources(NOW + timedelta(days=1))) == 4
