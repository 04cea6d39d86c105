"""The newsdesk command line: the root command, shared options, error handling.

Exit codes: 0 done, 1 the work failed (one-line reason on stderr), 2 bad usage.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsdesk import console as output
from newsdesk.app import App, build
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.pipeline import Failed, Outcome

P = ParamSpec("P")
R = TypeVar("R")

cli = typer.Typer(
    name="newsdesk",
    help="A self-hosted newsdesk: gather, extract, deduplicate and search the news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class Context:
    """Per-invocation state: the settings from --db and the environment, the app once built."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
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
) -> None:
    """newsdesk: gather news from feeds, pages and files into one deduplicated, searchable store."""
    try:
        settings = Settings.from_env(db=db)
    except NewsdeskError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


def _progress() -> Progress:
    """Bars on stderr that vanish when done: what, a bar, how many of how many, time taken."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, transient=True)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[Outcome | Failed], None]]:
    """A Rich progress bar on stderr; yields the per-item callback."""
    with _progress() as bar:
        task = bar.add_task(label, total=total)
        yield lambda _result: bar.advance(task)


@contextmanager
def ingest_progress(
    total: int,
) -> Iterator[tuple[Callable[[Outcome | Failed], None], Callable[[object], None]]]:
    """Two bars on stderr: articles stored, then briefs and stories for the new ones."""
    with _progress() as bar:
        stored = bar.add_task("storing articles", total=total)
        enriched = bar.add_task("briefs and stories", total=0)
        new = 0

        def on_stored(result: Outcome | Failed) -> None:
            nonlocal new
            bar.advance(stored)
            if isinstance(result, Outcome) and result.status == "new":
                new += 1
                bar.update(enriched, total=new)

        yield on_stored, lambda _result: bar.advance(enriched)


def main() -> None:
    cli()
