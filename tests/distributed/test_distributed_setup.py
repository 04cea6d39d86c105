"""What needs no running worker: the no-broker message, the worker layout rules, the locks."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from newsdesk.config import Settings
from newsdesk.distributed import queues
from newsdesk.distributed.locks import StoreLock, lock_key
from newsdesk.distributed.scheduler import Queued, run_scheduler
from newsdesk.distributed.tasks import MAX_BACKOFF_S, backoff
from newsdesk.distributed.worker import check_layout, stages_from
from newsdesk.errors import ConfigError
from newsdesk.store import Store
from support.processes import NEWSDESK


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_without_a_broker_one_line_says_how_to_set_one(command: str, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDESK_DB": str(tmp_path / "news.db"), "NEWSDESK_BROKER_URL": ""}
    done = subprocess.run(
        [NEWSDESK, command], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "no broker is set: set NEWSDESK_BROKER_URL" in done.stderr


def test_stages_are_named_by_stage_or_by_queue() -> None:
    assert stages_from("poll, ingest,newsdesk.enrich,poll") == ("poll", "ingest", "enrich")
    with pytest.raises(ConfigError, match="no queue 'fetch'"):
        stages_from("poll,fetch")
    with pytest.raises(ConfigError, match="no queue given"):
        stages_from(" , ")


@pytest.mark.parametrize(("stages", "concurrency"), [(("place", "ingest"), 1), (("place",), 2)])
def test_placement_runs_alone_in_one_process(stages: tuple[str, ...], concurrency: int) -> None:
    with pytest.raises(ConfigError, match="--queues place --concurrency 1"):
        check_layout(stages, concurrency)
    check_layout(("poll", "ingest", "enrich"), 4)
    check_layout(("place",), 1)


def test_queue_names_follow_the_prefix() -> None:
    assert queues.all_names(Settings()) == queues.ALL
    assert queues.name(Settings(queue_prefix="eu"), "place") == "eu.place"


def _lock_twice(url: str) -> None:
    with Store.open(url) as one, Store.open(url, migrate=False) as other:
        held = StoreLock(one, "test")
        assert held.try_acquire()
        rival = StoreLock(other, "test")
        assert not rival.try_acquire()
        another = StoreLock(other, "another")
        assert another.try_acquire()
        another.release()
        held.release()
        assert rival.try_acquire()
        rival.release()


def test_a_lock_is_held_by_one_holder_at_a_time_on_sqlite(tmp_path: Path) -> None:
    _lock_twice(f"sqlite:///{tmp_path / 'news.db'}")


@pytest.mark.postgres
def test_a_lock_is_held_by_one_holder_at_a_time_on_postgresql(pg_url: str) -> None:
    _lock_twice(pg_url)


def test_the_scheduler_queues_a_due_source_once_per_due_time_or_lease() -> None:
    due = datetime(2026, 1, 1, tzinfo=UTC)
    queued = Queued(lease_s=600.0)
    assert queued.wanted(7, due, now=0.0)
    queued.mark(7, due, now=0.0)
    assert not queued.wanted(7, due, now=599.0)  # queued, not polled yet
    assert queued.wanted(7, due, now=601.0)  # the poll was lost: queued again
    assert queued.wanted(7, due + timedelta(hours=1), now=10.0)  # polled, due again
    queued.keep_only(set())  # no longer due: forgotten
    assert queued.sources == {}


def test_retries_back_off_doubling_up_to_a_cap() -> None:
    settings = Settings(backoff=1.0)
    assert [backoff(settings, n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert backoff(settings, 30) == MAX_BACKOFF_S


@pytest.mark.postgres
def test_a_lock_lost_with_its_connection_is_known_lost(pg_url: str) -> None:
    with Store.open(pg_url) as one, Store.open(pg_url, migrate=False) as other:
        held = StoreLock(one, "test")
        assert held.try_acquire()
        assert held.still_held()
        key = lock_key("test")
        with other.engine.begin() as conn:  # a database restart, as the holder sees it
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND classid = :space AND objid = :key"
                ),
                {"space": key["space"], "key": key["key"] & 0xFFFFFFFF},
            )
        assert not held.still_held()
        rival = StoreLock(other, "test")
        assert rival.try_acquire()  # another process may take it now
        assert not held.try_acquire()
        rival.release()


def test_the_scheduler_does_its_hourly_work_while_it_holds_the_lock(
    desk_env: dict[str, str],
) -> None:
    settings = Settings(
        db=desk_env["NEWSDESK_DB"],
        broker_url=desk_env["NEWSDESK_BROKER_URL"],
        queue_prefix=desk_env["NEWSDESK_QUEUE_PREFIX"],
    )
    calls: list[bool] = []

    def hourly() -> None:  # the CLI passes the sending of due digests
        with Store.open(settings.db_url, migrate=False) as store:
            other = StoreLock(store, "scheduler")
            calls.append(other.try_acquire())  # False: this scheduler holds it
            other.release()
        raise RuntimeError("a failing hourly job must not stop the scheduler")

    queued = run_scheduler(
        settings, should_stop=lambda: len(calls) >= 1, say=lambda _: None, tick=0.1, hourly=hourly
    )
    assert calls == [False] and queued == 0
