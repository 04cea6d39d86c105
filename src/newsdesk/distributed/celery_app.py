"""The Celery app, built from Settings: JSON messages only, acknowledged after the work commits.

- task_acks_late: a message is acknowledged when its task has returned, so a worker that dies
  mid-task (kill -9, a lost host) leaves it unacknowledged and the broker hands it to another.
- task_reject_on_worker_lost: the same when only a pool process dies.
- worker_prefetch_multiplier=1: a worker holds one message per process beyond those it runs,
  so a slow worker does not sit on work others could do.
- JSON only, never pickle: a message from the broker can never run code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from celery import Celery
from kombu import Exchange, Queue

from newsdesk.config import Settings
from newsdesk.distributed import queues

if TYPE_CHECKING:
    from newsdesk.distributed.locks import StoreLock

# Task names, one per stage; their queue is queues.name(settings, stage).
POLL_TASK = "newsdesk.poll_source"
INGEST_TASK = "newsdesk.ingest_item"
ENRICH_TASK = "newsdesk.enrich_article"
PLACE_TASK = "newsdesk.place_article"
STAGE_OF = {POLL_TASK: "poll", INGEST_TASK: "ingest", ENRICH_TASK: "enrich", PLACE_TASK: "place"}


def make_celery(settings: Settings, *, placement: StoreLock | None = None) -> Celery:
    """A Celery app for these settings with the four stage tasks registered (see tasks);
    `placement`: the placement lock, when this process took it before consuming."""
    from newsdesk.distributed.tasks import register

    app = Celery("newsdesk", broker=settings.broker_url, set_as_current=False)
    names = {stage: queues.name(settings, stage) for stage in queues.STAGES}
    exchange = Exchange(settings.queue_prefix, type="direct")  # one per prefix, like its queues
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_queues=[Queue(name, exchange, routing_key=name) for name in names.values()],
        task_default_queue=names["ingest"],
        task_default_exchange=settings.queue_prefix,
        task_routes={task: {"queue": names[stage]} for task, stage in STAGE_OF.items()},
        worker_hijack_root_logger=False,  # newsdesk's own logging stays in charge
        worker_redirect_stdouts=False,  # and stderr stays stderr (its handler writes there)
        worker_send_task_events=False,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5.0,
        enable_utc=True,
    )
    register(app, settings, placement)
    return app
