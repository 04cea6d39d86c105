"""Retry by hand with a broker set: the failed item's record is taken off the table as its job
goes on the ingest queue; a broker that does not take it leaves the record where it was."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from kombu import Connection

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.distributed import queues
from newsdesk.distributed.retry import retry_item
from newsdesk.errors import ConfigError
from newsdesk.models import Item
from newsdesk.pipeline.job_codec import dump_job, load_job
from newsdesk.pipeline.prepare import ItemJob

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.redis]

JOB = ItemJob(
    Item(url="https://news.example/a/1", source="News", summary="Teaser."),
    datetime(2025, 6, 3, 12, 0, tzinfo=UTC),
    ref="https://news.example/feed.xml#1",
)


def _held(settings: Settings) -> int:
    with build(settings) as app, app.store.transaction() as repo:
        source = repo.upsert_source("https://news.example/feed.xml")
        for _ in range(settings.item_attempts):
            repo.record_failure(
                source_id=source.id, url=JOB.item.url or "", payload=dump_job(JOB), reason="x"
            )
        return repo.failed_items()[0].id


def test_retry_queues_the_job_and_takes_the_record(desk_env: dict[str, str]) -> None:
    settings = Settings.from_env(desk_env)
    item_id = _held(settings)
    with build(settings) as app:
        retried = retry_item(app, item_id)
        with app.store.transaction(readonly=True) as repo:
            assert repo.count_failed_items() == 0
    assert (
        retried.ok and retried.message == f"#{item_id} https://news.example/a/1 queued for a worker"
    )
    with Connection(settings.broker_url, connect_timeout=5) as conn:
        queue = conn.SimpleQueue(queues.name(settings, "ingest"))
        try:
            message = queue.get(timeout=5)
            payload, source_id = message.decode()[0]
            message.ack()
        finally:
            queue.close()
    assert load_job(payload) == JOB and source_id == retried.item.source_id


def test_a_broker_that_does_not_answer_leaves_the_record(desk_env: dict[str, str]) -> None:
    settings = Settings.from_env(desk_env).with_(broker_url="amqp://guest:guest@127.0.0.1:1//")
    item_id = _held(settings)
    with build(settings) as app:
        with pytest.raises(ConfigError, match=rf"^#{item_id} not queued: the broker .*refused"):
            retry_item(app, item_id)
        with app.store.transaction(readonly=True) as repo:
            item = repo.get_failed_item(item_id)
    assert item is not None and item.attempts == settings.item_attempts
