"""`newsdesk scheduler`: puts each source on the poll queue as it falls due, one scheduler at a
time (the scheduler lock: a second one waits, and takes over when the first stops or dies).

A source stays due until a worker has polled it (which sets its next check), so the scheduler
remembers what it queued and queues it again only after a lease, in case the poll was lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.distributed import queues
from newsdesk.distributed.celery_app import POLL_TASK, make_celery
from newsdesk.distributed.enqueue import require_broker
from newsdesk.distributed.locks import SCHEDULER, StoreLock
from newsdesk.store import Store

log = logging.getLogger("newsdesk.distributed")

TICK_S = 5.0  # the longest wait between two looks for due sources
LOCK_RETRY_S = 1.0
HOUR_S = 3600.0  # between two calls of the hourly work (digests)
DUE_BATCH = 5000  # due sources read per look
MIN_LEASE_S = 600.0


@dataclass
class Queued:
    """What the scheduler queued: source id -> (its next_check then, when it was queued)."""

    lease_s: float
    sources: dict[int, tuple[datetime | None, float]] = field(default_factory=dict)

    def wanted(self, source_id: int, next_check: datetime | None, now: float) -> bool:
        seen = self.sources.get(source_id)
        return seen is None or seen[0] != next_check or now - seen[1] > self.lease_s

    def mark(self, source_id: int, next_check: datetime | None, now: float) -> None:
        self.sources[source_id] = (next_check, now)

    def keep_only(self, due: set[int]) -> None:
        for source_id in [s for s in self.sources if s not in due]:
            del self.sources[source_id]  # polled since: its next check moved on


def run_scheduler(
    settings: Settings,
    *,
    should_stop: Callable[[], bool],
    say: Callable[[str], None],
    tick: float = TICK_S,
    hourly: Callable[[], None] | None = None,
) -> int:
    """Hold the scheduler lock and queue due sources until should_stop(); how many it queued.
    While it holds the lock it also calls hourly() once an hour (the CLI passes the sending of
    due digests): one scheduler at a time, so hourly work is not done twice."""
    require_broker(settings)
    store = Store.open(settings.db_url)
    lock = StoreLock(store, SCHEDULER)
    total = 0
    try:
        # The lock is lost with its connection (a database restart): then wait for it again.
        while not should_stop():
            if not lock.try_acquire():
                say("another scheduler holds the scheduler lock; waiting for it")
                while not lock.try_acquire():
                    if should_stop():
                        return total
                    time.sleep(LOCK_RETRY_S)
            say("scheduler: holding the lock, queuing sources as they fall due")
            total += _loop(settings, store, should_stop, lock.still_held, tick, hourly)
        return total
    finally:
        lock.release()
        store.close()


def _loop(
    settings: Settings,
    store: Store,
    should_stop: Callable[[], bool],
    held: Callable[[], bool],
    tick: float,
    hourly: Callable[[], None] | None = None,
) -> int:
    """Queue due sources until should_stop(), or until the lock is no longer held (asked
    before each look); how many were queued."""
    celery = make_celery(settings)
    queue = queues.name(settings, "poll")
    queued = Queued(lease_s=max(MIN_LEASE_S, 2 * settings.poll_source_seconds))
    total = 0
    hour_due = time.monotonic()
    try:
        while not should_stop() and held():
            if hourly is not None and time.monotonic() >= hour_due:
                hour_due = time.monotonic() + HOUR_S
                try:
                    hourly()
                except Exception:  # the hourly work must never stop the queuing of polls
                    log.exception("scheduler: the hourly work failed; next try in an hour")
            now = utcnow()
            with store.transaction(readonly=True) as repo:
                due = repo.due_sources(now, limit=DUE_BATCH)
                next_at = repo.next_due_at(now)
            clock = time.monotonic()
            for source in due:
                if queued.wanted(source.id, source.next_check, clock):
                    celery.send_task(POLL_TASK, args=[source.id], queue=queue)
                    queued.mark(source.id, source.next_check, clock)
                    total += 1
                    log.info("scheduler: queued a poll of %s", source.url)
            queued.keep_only({s.id for s in due})
            wait = tick
            if next_at is not None and next_at > now:
                wait = min(tick, (next_at - now).total_seconds())
            _sleep(wait, should_stop)
    finally:
        celery.close()
    return total


def _sleep(seconds: float, should_stop: Callable[[], bool]) -> None:
    ends = time.monotonic() + seconds
    while not should_stop() and (left := ends - time.monotonic()) > 0:
        time.sleep(min(0.2, left))
