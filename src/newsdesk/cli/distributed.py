"""newsdesk worker and newsdesk scheduler: ingest on several processes and hosts (a broker)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from newsdesk.cli.root import _ctx, cli, err, handles_errors


@cli.command()
@handles_errors
def worker(
    ctx: typer.Context,
    queues: Annotated[
        str,
        typer.Option(
            "--queues",
            help="Stages to work on, comma-separated: poll, ingest, enrich, place. Placement "
            "runs in a worker of its own: --queues place.",
        ),
    ] = "poll,ingest,enrich",
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=256, help="Worker processes.")
    ] = 1,
) -> None:
    """Run a Celery worker on the broker set in NEWSDESK_BROKER_URL until stopped."""
    from newsdesk.distributed.worker import run_worker, stages_from

    def say(line: str) -> None:
        err.print(line, highlight=False)

    run_worker(_ctx(ctx).settings, stages_from(queues), concurrency, say)


@cli.command()
@handles_errors
def scheduler(ctx: typer.Context) -> None:
    """Queue each subscribed source's poll as it falls due; one scheduler runs at a time."""
    from newsdesk.distributed.scheduler import run_scheduler

    stop = threading.Event()

    def stopping(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)

    def say(line: str) -> None:
        err.print(line, highlight=False)

    run_scheduler(_ctx(ctx).settings, should_stop=stop.is_set, say=say)
