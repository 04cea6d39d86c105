"""newsdesk worker and newsdesk scheduler: ingest on several processes and hosts (a broker)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Annotated

import typer

from newsdesk.cli.root import _ctx, cli, err, handles_errors
from newsdesk.config import Settings


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

    settings = _ctx(ctx).settings
    run_scheduler(settings, should_stop=stop.is_set, say=say, hourly=_digests_sender(settings, say))


def _digests_sender(settings: Settings, say: Callable[[str], None]) -> Callable[[], None] | None:
    """What the scheduler sends hourly: the digests that are due, when an SMTP server is set
    (the digests lock keeps a timer or a serving host from sending one twice)."""
    from newsdesk.digests.mail import mail_problem
    from newsdesk.digests.send import send_due
    from newsdesk.store import Store

    if mail_problem(settings) is not None:
        return None  # no SMTP server set: `newsdesk digests send` says why when asked

    def send() -> None:
        store = Store.open(settings.db_url)
        try:
            report = send_due(store, settings)
        finally:
            store.close()
        for failed in report.failed:
            say(f"digest not sent to {failed.name}: {failed.reason}")
        if report.outcomes:
            say(f"digests: {report.counted('sent')} sent, {len(report.failed)} failed")

    return send
