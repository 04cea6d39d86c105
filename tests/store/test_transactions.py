"""Transactions: commit on exit, roll back on error, nothing half-written survives a crash."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsdesk.errors import StoreError
from newsdesk.models import Sighting
from newsdesk.store import Repo, Store, StoreStats
from newsdesk.store.schema import articles, fingerprints, lsh_buckets, sightings
from support.store import ArticleFactory

SEEN = datetime(2024, 5, 1, 13, 0, tzinfo=UTC)


class Crash(Exception):
    pass


def ingest(repo: Repo, new_title: str, make_article: ArticleFactory, key: bytes) -> int:
    article_id = repo.insert_article(make_article(new_title, f"{new_title} body", keys=(key,)))
    repo.add_sighting(article_id, Sighting("S", f"https://s.example/{key.hex()}", new_title, SEEN))
    return article_id


def counts(store: Store) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (articles, sightings, fingerprints, lsh_buckets)
        )


def test_a_crash_mid_batch_loses_nothing_committed(
    db_url: str, make_article: ArticleFactory
) -> None:
    with Store.open(db_url) as store:
        with store.transaction() as repo:
            kept = ingest(repo, "Kept quasar", make_article, b"k1")
        with pytest.raises(Crash), store.transaction() as repo:
            ingest(repo, "Lost pulsar", make_article, b"k2")
            raise Crash
    with Store.open(db_url) as reopened:
        assert counts(reopened) == (1, 1, 1, 1)
        with reopened.transaction() as repo:
            assert repo.get_article(kept).title == "Kept quasar"
            assert [h.article_id for h in repo.search("quasar")] == [kept]
            assert repo.search("pulsar") == []  # no orphan full-text entry either
            assert repo.near_candidates([b"k2"]) == []
            assert repo.article_id_by_url("https://s.example/6b32") is None
            # The id is free again or skipped; either way a new article stores cleanly.
            assert ingest(repo, "After pulsar", make_article, b"k2") != kept


def test_database_errors_become_store_errors_and_roll_back(
    store: Store, make_article: ArticleFactory
) -> None:
    with pytest.raises(StoreError, match="store: transaction failed"), store.transaction() as repo:
        repo.insert_article(make_article("Orphan"))
        repo.insert_article(make_article("Bad link"), duplicate_of=987654)  # no such article
    assert counts(store) == (0, 0, 0, 0)


def test_readonly_transactions_read(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        repo.insert_article(make_article("Readable"))
    with store.transaction(readonly=True) as repo:
        assert repo.stats().articles == 1


def test_stats_count_canonicals_duplicates_sightings_and_sources(
    store: Store, make_article: ArticleFactory
) -> None:
    with store.transaction() as repo:
        assert repo.stats() == StoreStats(0, 0, 0, 0, {}, {})
        a = repo.insert_article(make_article(source="CNN", lang="en"))
        repo.insert_article(make_article(source="CNN", lang="en"))
        repo.insert_article(make_article(source="BBC", lang=None))
        repo.insert_article(make_article(source="Mirror", lang="de"), duplicate_of=a)
        repo.add_sighting(a, Sighting("CNN", "https://cnn.example/1", "T", SEEN))
        repo.add_sighting(a, Sighting("Mirror", "https://mirror.example/1", "T", SEEN))
        repo.upsert_source("https://cnn.example/rss")
        stats = repo.stats()
    assert (stats.articles, stats.duplicates, stats.sightings, stats.sources) == (3, 1, 2, 1)
    assert stats.by_language == {"en": 2, "und": 1}
    assert stats.by_source == {"CNN": 2, "BBC": 1}
    assert stats.publishers == 2
    assert list(stats.by_source) == ["CNN", "BBC"]  # most articles first


def test_by_source_keeps_the_top_twenty(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        for i in range(25):
            repo.insert_article(make_article(source=f"S{i:02d}"))
        repo.insert_article(make_article(source="S24"))
        by_source = repo.stats().by_source
    assert len(by_source) == 20 and next(iter(by_source)) == "S24"


def test_sqlite_writers_in_threads_wait_for_each_other(
    tmp_path: Path, make_article: ArticleFactory
) -> None:
    url = f"sqlite:///{tmp_path / 'threads.db'}"
    Store.open(url).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Store.open(url) as store:
                for i in range(15):
                    with store.transaction() as repo:
                        # Read, then write: BEGIN IMMEDIATE keeps this from failing as BUSY.
                        repo.stats()
                        ingest(repo, f"W{n} {i}", make_article, f"{n}-{i}".encode())
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with Store.open(url) as store:
        assert counts(store) == (45, 45, 45, 45)


def test_sqlite_readers_do_not_wait_for_a_writer(
    tmp_path: Path, make_article: ArticleFactory
) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    with Store.open(url) as writer, Store.open(url) as reader:
        with writer.transaction() as repo:
            repo.insert_article(make_article("Committed"))
        with writer.transaction() as repo:
            repo.insert_article(make_article("Pending"))
            started = time.monotonic()
            with reader.transaction(readonly=True) as view:
                assert view.stats().articles == 1  # the snapshot before this write
            assert time.monotonic() - started < 2
