"""What the desk is doing right now: queues, workers, ingest rate, failures.

One gatherer for `newsdesk status`, `/admin/status` and `/metrics`, so the three never disagree.
With no broker set the desk runs locally and the queue and worker parts are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.distributed import queues
from newsdesk.distributed.heartbeat import workers_seen
from newsdesk.store import Store
from newsdesk.store.activity import Activity

BROKER_TIMEOUT = 2.0  # seconds: a status page never hangs on a broker that does not answer
WINDOW_MINUTES = 10


@dataclass(frozen=True, slots=True)
class QueueDepth:
    name: str
    messages: int  # waiting, not yet taken by a worker
    consumers: int  # workers listening on the queue


@dataclass(frozen=True, slots=True)
class Status:
    mode: str  # "local" (no broker) or "distributed"
    activity: Activity
    failed_items: int
    queues: tuple[QueueDepth, ...] = ()
    workers: tuple[str, ...] = ()  # workers seen in the last minute
    broker_error: str | None = None  # why the queues could not be read, in one line
    at: datetime = field(default_factory=utcnow)

    def to_json(self) -> dict[str, Any]:
        a = self.activity
        return {
            "mode": self.mode,
            "at": self.at.isoformat(),
            "articles": a.articles,
            "sources": a.sources,
            "sources_failing": a.sources_failing,
            "stored_last_minutes": {"minutes": a.minutes, "articles": a.stored, "capped": a.capped},
            "items_per_minute": round(a.per_minute, 2),
            "failed_items": self.failed_items,
            "queues": {
                q.name: {"messages": q.messages, "consumers": q.consumers} for q in self.queues
            },
            "workers": list(self.workers),
            "broker_error": self.broker_error,
        }


def gather(settings: Settings, store: Store) -> Status:
    """Read the store, and the broker when one is set; a broker that fails costs only its part."""
    now = utcnow()
    with store.transaction(readonly=True) as repo:
        activity = repo.activity(now, WINDOW_MINUTES)
        failed = repo.count_failed_items(min_attempts=settings.item_attempts)
    if not settings.broker_url:
        return Status(mode="local", activity=activity, failed_items=failed, at=now)
    try:
        depths = queue_depths(settings)
        seen = tuple(workers_seen(settings))
    except Exception as exc:  # a broker down or refusing us: one line on the page, not a 500
        why = " ".join(str(exc).split()) or type(exc).__name__
        return Status("distributed", activity, failed, broker_error=why[:300], at=now)
    return Status("distributed", activity, failed, depths, seen, at=now)


def queue_depths(settings: Settings) -> tuple[QueueDepth, ...]:
    """Messages waiting and consumers per stage queue (a queue not declared yet counts 0)."""
    from kombu import Connection, Queue
    from kombu.exceptions import ChannelError

    found = []
    with Connection(settings.broker_url, connect_timeout=BROKER_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, timeout=int(BROKER_TIMEOUT))
        for name in queues.all_names(settings):
            with conn.channel() as channel:
                try:
                    # The stubs say str | None; a passive declare answers (name, messages,
                    # consumers) as queue_declare_ok_t.
                    declared: Any = Queue(name, channel=channel).queue_declare(passive=True)
                    messages, consumers = declared.message_count, declared.consumer_count
                except ChannelError:  # not declared yet: no worker has started on it
                    messages, consumers = 0, 0
            found.append(QueueDepth(name, messages, consumers))
    return tuple(found)
