"""Failed items: counted per source and URL, listed latest first, taken for a retry, forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.store import Store

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _sources(store: Store) -> tuple[int, int]:
    with store.transaction() as repo:
        one = repo.upsert_source("https://one.example/feed", title="One")
        two = repo.upsert_source("https://two.example/feed")
    return one.id, two.id


def test_each_failure_counts_and_keeps_the_latest_reason(store: Store) -> None:
    one, _ = _sources(store)
    with store.transaction() as repo:
        first = repo.record_failure(
            source_id=one, url="https://one.example/a", payload='{"v":1}', reason="HTTP 500", now=T0
        )
    with store.transaction() as repo:
        second = repo.record_failure(
            source_id=one,
            url="https://one.example/a",
            payload='{"v":1,"x":2}',
            reason="extract: no main text\nfound in the page",
            now=T0 + timedelta(hours=1),
        )
        [item] = repo.failed_items()
    assert (first, second) == (1, 2)
    assert item.attempts == 2 and item.source_id == one and item.source == "One"
    assert item.reason == "extract: no main text found in the page"
    assert item.payload == '{"v":1,"x":2}'
    assert item.first_failed_at == T0 and item.last_failed_at == T0 + timedelta(hours=1)


def test_an_item_of_no_source_is_one_row_too(store: Store) -> None:
    with store.transaction() as repo:
        for _ in range(3):
            attempts = repo.record_failure(
                source_id=None, url="file.html", payload="{}", reason="x" * 2000
            )
        [item] = repo.failed_items()
    assert attempts == 3 and item.attempts == 3
    assert item.source_id is None and item.source is None
    assert len(item.reason) == 500


def test_lists_filter_by_source_and_attempts_latest_first(store: Store) -> None:
    one, two = _sources(store)
    with store.transaction() as repo:
        for i, (source, fails) in enumerate([(one, 3), (two, 1), (one, 1), (two, 4)]):
            for k in range(fails):
                repo.record_failure(
                    source_id=source,
                    url=f"https://x.example/{i}",
                    payload="{}",
                    reason=f"fail {i}",
                    now=T0 + timedelta(minutes=10 * i + k),
                )
    with store.transaction(readonly=True) as repo:
        assert [f.url[-1] for f in repo.failed_items()] == ["3", "2", "1", "0"]
        assert [f.url[-1] for f in repo.failed_items(limit=2)] == ["3", "2"]
        assert [f.url[-1] for f in repo.failed_items(min_attempts=3)] == ["3", "0"]
        assert [f.url[-1] for f in repo.failed_items(source_id=one)] == ["2", "0"]
        named = [f.source for f in repo.failed_items(source_id=two)]
        assert named == ["https://two.example/feed"] * 2
        assert repo.count_failed_items() == 4
        assert repo.count_failed_items(min_attempts=3) == 2
        assert repo.count_failed_items(source_id=two, min_attempts=2) == 1
        assert repo.failed_counts_by_source(min_attempts=3) == {one: 1, two: 1}
        assert repo.failure_attempts(one, ["https://x.example/0", "https://x.example/1"]) == {
            "https://x.example/0": 3
        }


def test_take_removes_it_once_and_forget_clears_it(store: Store) -> None:
    one, two = _sources(store)
    with store.transaction() as repo:
        repo.record_failure(source_id=one, url="https://one.example/a", payload="{}", reason="r")
        repo.record_failure(source_id=two, url="https://one.example/a", payload="{}", reason="r")
        [kept, taken_id] = [f.id for f in repo.failed_items()]
    with store.transaction() as repo:
        taken = repo.take_failed_item(taken_id)
        assert taken is not None and taken.source_id == one
        assert repo.take_failed_item(taken_id) is None
        assert repo.get_failed_item(kept) is not None
    with store.transaction() as repo:
        assert repo.forget_failure(two, "https://one.example/a") is True
        assert repo.forget_failure(two, "https://one.example/a") is False
        assert repo.count_failed_items() == 0


def test_forget_failures_clears_many_urls_of_one_source(store: Store) -> None:
    one, two = _sources(store)
    urls = [f"https://one.example/{i}" for i in range(3)]
    with store.transaction() as repo:
        for url in urls:
            repo.record_failure(source_id=one, url=url, payload="{}", reason="r")
        repo.record_failure(source_id=two, url=urls[0], payload="{}", reason="r")
        repo.record_failure(source_id=None, url=urls[1], payload="{}", reason="r")
    with store.transaction() as repo:
        assert repo.forget_failures(one, urls[:2]) == 2
        assert repo.forget_failures(None, urls) == 1
        assert sorted((f.source_id, f.url) for f in repo.failed_items()) == [
            (one, urls[2]),
            (two, urls[0]),
        ]
