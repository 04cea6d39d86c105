"""Retry a failed item by hand: here, through the local ingestor, or on the ingest queue when a
broker is set (the record is taken off the table as the job is queued, in one transaction: a
worker that fails it again records it afresh)."""

from __future__ import annotations

from newsdesk.app import App
from newsdesk.errors import ConfigError, NotFoundError
from newsdesk.pipeline.failures import Retried, run_again
from newsdesk.pipeline.job_codec import load_job


def retry_item(app: App, item_id: int) -> Retried:
    """Run the failed item with this id again; NotFoundError when there is none."""
    if app.settings.broker_url:
        return _enqueue(app, item_id)
    with app.store.transaction(readonly=True) as repo:
        item = repo.get_failed_item(item_id)
    if item is None:
        raise NotFoundError(f"no failed item #{item_id}")
    return run_again(app.poller, item)


def retry_all(app: App, *, source_id: int | None = None) -> list[Retried]:
    """Run again every item held back (failed settings.item_attempts times), of one source or
    all; each is tried once, whatever becomes of it."""
    with app.store.transaction(readonly=True) as repo:
        ids = repo.failed_item_ids(source_id=source_id, min_attempts=app.settings.item_attempts)
    done = []
    for item_id in ids:
        try:
            done.append(retry_item(app, item_id))
        except NotFoundError:  # retried meanwhile by someone else
            continue
    return done


def _enqueue(app: App, item_id: int) -> Retried:
    from kombu.exceptions import KombuError

    from newsdesk.distributed.enqueue import enqueue_job

    with app.store.transaction() as repo:
        item = repo.take_failed_item(item_id)
        if item is None:
            raise NotFoundError(f"no failed item #{item_id}")
        # Raising here rolls the taking back: the record stays for another try.
        try:
            enqueue_job(app.settings, load_job(item.payload), item.source_id)
        except (KombuError, OSError) as exc:
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise ConfigError(
                f"#{item_id} not queued: the broker (NEWSDESK_BROKER_URL) did not take it: {why}"
            ) from None
    return Retried(item, True, f"#{item.id} {item.url} queued for a worker")
