"""newsdesk serve: the web app on uvicorn, polling subscribed sources in the background."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Annotated

import typer

from newsdesk import logs
from newsdesk.cli.root import _ctx, cli, out
from newsdesk.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

POLL_EVERY = 60.0  # seconds between two looks for due sources
# How long a worker may leave the supervisor's ping unanswered before it is taken for hung and
# killed. uvicorn's 5 s killed workers still importing the web stack on a loaded 2-core
# machine, and their replacements the same way: the server never came up.
WORKER_HEALTHCHECK_S = 60
# uvicorn tells of its processes at INFO (a worker started, died, was replaced): those lines
# are kept at every --log-level, a server must say when a worker dies; its other INFO lines
# follow --log-level.
PROCESS_LINES = (
    "Started parent process",
    "Started server process",
    "Child process",
    "Stopping parent process",
)


class ProcessLines(logging.Filter):
    """Passes records at `level` and above, and uvicorn's lines about its processes."""

    def __init__(self, level: str) -> None:
        super().__init__()
        self.level = logging.getLevelName(level.upper())

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or record.getMessage().startswith(PROCESS_LINES)


def _keep_process_lines() -> None:
    """In this process: uvicorn's process lines pass whatever --log-level says."""
    logging.getLogger("uvicorn.error").addFilter(ProcessLines(logs.level_name()))


@cli.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Server processes (one per CPU core serves the most)."),
    ] = 1,
    no_poll: Annotated[
        bool, typer.Option("--no-poll", help="Do not poll subscribed sources while serving.")
    ] = False,
) -> None:
    """Serve the web pages, the JSON API and Atom feeds; poll sources as they fall due."""
    import uvicorn  # the web stack loads only for this command

    settings = _ctx(ctx).settings
    out.print(f"newsdesk serving on http://{host}:{port}/  (Ctrl+C to stop)", highlight=False)
    if workers == 1:
        from newsdesk.web.app import create_app  # the web stack loads only for this command

        app = create_app(settings, poll_every=None if no_poll else POLL_EVERY)
        uvicorn.run(app, host=host, port=port, log_level=logs.level_name(), log_config=None)
        return
    _serve_many(settings, host, port, workers, poll=not no_poll)


def _serve_many(settings: Settings, host: str, port: int, workers: int, *, poll: bool) -> None:
    """uvicorn's worker processes each build the app from the environment; this process only
    watches them, and polls the sources itself so that each source is polled once."""
    import uvicorn

    from newsdesk.app import build
    from newsdesk.web.background import BackgroundPoller

    os.environ["NEWSDESK_DB"] = settings.db  # --db reaches the workers
    os.environ[logs.LEVEL_ENV], os.environ[logs.FORMAT_ENV] = logs.level_name(), logs.format_name()
    _keep_process_lines()
    with build(settings) as app:  # migrates the store once, before any worker opens it
        poller = BackgroundPoller(app, POLL_EVERY, poll=poll)
        poller.start()
        try:
            uvicorn.run(
                "newsdesk.cli.serve:worker_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                # INFO reaches uvicorn's logger so that its process lines exist; ProcessLines
                # drops its other INFO lines below --log-level (and access lines stay off)
                log_level="info",
                access_log=logs.level_name() in ("debug", "info"),
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
                log_config=None,  # uvicorn's records go through newsdesk's handler (logs.py)
            )
        finally:
            poller.stop()


def worker_app() -> FastAPI:
    """One worker's app (uvicorn --factory): settings from the environment, no polling."""
    from newsdesk.web.app import create_app

    logs.configure_from_env()  # the worker logs as --log-level/--log-format asked
    _keep_process_lines()
    return create_app(Settings.from_env())
