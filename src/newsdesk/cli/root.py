"""The newsdesk command line: the root command, shared options, error handling.

Exit codes: 0 done, 1 the work failed (one-line reason on stderr), 2 bad usage.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from newsdesk import console as output
from newsdesk import logs
from newsdesk.cli import progress
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError

# Every command starts fast: the app (store, pipeline, models) loads when a command asks for
# it, never on import; tests/test_cli_startup.py checks which modules --help leaves unloaded.
if TYPE_CHECKING:
    from newsdesk.app import App

P = ParamSpec("P")
R = TypeVar("R")

cli = typer.Typer(
    name="newsdesk",
    help="A self-hosted newsdesk: gather, extract, deduplicate and search the news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = output.terminal()
err = output.terminal(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class Context:
    """Per-invocation state: the settings from --db and the environment, the app once built."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            from newsdesk.app import build

            self._app = build(self.settings)
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def _ctx(ctx: typer.Context) -> Context:
    obj = ctx.find_object(Context)
    assert obj is not None, "commands run under the main callback"
    return obj


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn a NewsdeskError into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except NewsdeskError as exc:
            err.print(f"[red]error:[/] {output.one_line(str(exc))}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


@cli.callback()
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="NEWSDESK_DB",
            help="SQLite file path or database URL (postgresql://...). Default: newsdesk.db",
        ),
    ] = None,
    log_level: Annotated[
        str,
        typer.Option(
            "--log-level",
            envvar="NEWSDESK_LOG_LEVEL",
            help="Log on stderr from this level on: debug, info, warning or error.",
        ),
    ] = "warning",
    log_format: Annotated[
        str,
        typer.Option(
            "--log-format",
            envvar="NEWSDESK_LOG_FORMAT",
            help="Log lines as text or json (one object per line, with their context).",
        ),
    ] = "text",
) -> None:
    """newsdesk: gather news from feeds, pages and files into one deduplicated, searchable store."""
    try:
        settings = Settings.from_env(db=db)
        undo_logging = logs.configure(log_level, log_format)
    except NewsdeskError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    ctx.obj = Context(settings)
    ctx.call_on_close(undo_logging)
    ctx.call_on_close(ctx.obj.close)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[object], None]]:
    """A progress bar on stderr (none when piped); yields the per-item callback."""
    with progress.progress_bar(err, label, total) as tick:
        yield tick


@contextmanager
def ingest_progress(
    total: int, *, enriching: bool = True
) -> Iterator[tuple[Callable[[object], None], Callable[[object], None]]]:
    """Two bars on stderr: items stored, then briefs and stories for the new ones."""
    with progress.ingest_progress(err, total, enriching=enriching) as callbacks:
        yield callbacks


def main() -> None:
    cli()
