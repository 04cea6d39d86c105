"""Putting work on the queues from outside a worker: a job (retry by hand), a source's poll."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.distributed import queues
from newsdesk.distributed.celery_app import INGEST_TASK, POLL_TASK, make_celery
from newsdesk.errors import ConfigError
from newsdesk.pipeline.job_codec import dump_job
from newsdesk.pipeline.prepare import Job

NEED_BROKER = (
    "no broker is set: set NEWSDESK_BROKER_URL (for example "
    "amqp://guest:guest@127.0.0.1:5672//) to run workers and the scheduler"
)


def require_broker(settings: Settings) -> None:
    """ConfigError, in one line that says how to set one, when no broker is set."""
    if not settings.broker_url:
        raise ConfigError(NEED_BROKER)


def enqueue_job(settings: Settings, job: Job, source_id: int | None = None) -> None:
    """Put one item's job on the ingest queue (a failed item retried by hand, say)."""
    require_broker(settings)
    celery = make_celery(settings)
    try:
        celery.send_task(
            INGEST_TASK,
            args=[dump_job(job), source_id],
            queue=queues.name(settings, "ingest"),
        )
    finally:
        celery.close()


def enqueue_polls(settings: Settings, source_ids: list[int]) -> None:
    """Put a poll of each of these sources on the poll queue."""
    require_broker(settings)
    celery = make_celery(settings)
    try:
        for source_id in source_ids:
            celery.send_task(POLL_TASK, args=[source_id], queue=queues.name(settings, "poll"))
    finally:
        celery.close()
