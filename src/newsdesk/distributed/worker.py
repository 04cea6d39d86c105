"""`newsdesk worker`: a Celery worker on some of the stage queues, as a real worker process."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable, Sequence

from newsdesk.config import Settings
from newsdesk.distributed import heartbeat, queues
from newsdesk.distributed.celery_app import make_celery
from newsdesk.distributed.enqueue import require_broker
from newsdesk.distributed.locks import PLACEMENT, StoreLock
from newsdesk.errors import ConfigError
from newsdesk.store import Store

DEFAULT_STAGES = ("poll", "ingest", "enrich")  # placement runs in a consumer of its own
PLACE = "place"


def stages_from(text: str) -> tuple[str, ...]:
    """Stage names from "poll,ingest" (queue names with their prefix are taken too)."""
    stages = []
    for part in text.split(","):
        stage = part.strip().rsplit(".", 1)[-1]
        if not stage:
            continue
        if stage not in queues.STAGES:
            raise ConfigError(
                f"worker: no queue {part.strip()!r}: one of {', '.join(queues.STAGES)}"
            )
        if stage not in stages:
            stages.append(stage)
    if not stages:
        raise ConfigError(f"worker: no queue given: one of {', '.join(queues.STAGES)}")
    return tuple(stages)


def check_layout(stages: Sequence[str], concurrency: int) -> None:
    """Placement needs one consistent view of the live stories: one process, no other work."""
    if PLACE in stages and (len(stages) > 1 or concurrency != 1):
        raise ConfigError(
            "worker: placement runs in a worker of its own with one process: "
            "newsdesk worker --queues place --concurrency 1"
        )


def worker_name(stages: Sequence[str]) -> str:
    return f"{'+'.join(stages)}.{os.getpid()}@{socket.gethostname()}"


def run_worker(
    settings: Settings,
    stages: Sequence[str],
    concurrency: int,
    say: Callable[[str], None] = print,
) -> None:
    """Consume these stages' queues until stopped (SIGTERM: finish the current task, then stop)."""
    require_broker(settings)
    check_layout(stages, concurrency)
    name = worker_name(stages)
    lock = None
    if PLACE in stages:
        # Taken before consuming: a second placement consumer takes no message while it waits.
        lock = StoreLock(Store.open(settings.db_url), PLACEMENT)
        if not lock.try_acquire():
            say("another placement consumer holds the placement lock; waiting for it")
            lock.acquire()
        say("placement: this worker is the placement consumer")
    celery = make_celery(settings, placement=lock)
    level = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    argv = [
        "worker",
        f"--queues={','.join(queues.name(settings, s) for s in stages)}",
        f"--concurrency={concurrency}",
        # one process: the task runs in the worker itself (kill -9 takes both, the broker
        # hands the task to another); more: a pool of forked processes
        f"--pool={'solo' if concurrency == 1 else 'prefork'}",
        f"--hostname={name}",
        f"--loglevel={level}",
        "--without-gossip",
        "--without-mingle",
    ]
    stop = heartbeat.start_beating(settings, name)
    try:
        celery.worker_main(argv)
    finally:
        stop.set()
        if lock is not None:
            lock.release()
            lock.store.close()
        with contextlib.suppress(Exception):  # Redis away: the key lapses within a minute
            heartbeat.forget(settings, name)
