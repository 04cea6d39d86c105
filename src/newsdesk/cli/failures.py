"""`newsdesk failures`: items held back after failing, and `failures retry ID | --all`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from newsdesk import console as output
from newsdesk.cli.root import JsonOpt, _ctx, cli, err, handles_errors, out
from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.humanize import count, time_ago

if TYPE_CHECKING:
    from newsdesk.app import App
    from newsdesk.pipeline.failures import Retried
    from newsdesk.store.failures import FailedItem

failures_cli = typer.Typer(
    help="Items that failed to fetch or extract: list them, retry them by hand.",
    invoke_without_command=True,
)
cli.add_typer(failures_cli, name="failures")

SourceOpt = Annotated[
    str | None, typer.Option("--source", help="Only this source: its id, URL or title.")
]


@failures_cli.callback()
@handles_errors
def failures(
    ctx: typer.Context,
    source: SourceOpt = None,
    every: Annotated[
        bool, typer.Option("--all", help="Also items that failed fewer times (still tried).")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: JsonOpt = False,
) -> None:
    """List the items held back after failing item_attempts times, the latest first."""
    if ctx.invoked_subcommand is not None:
        return
    app = _ctx(ctx).app
    source_id = _source_id(app, source)
    least = 1 if every else app.settings.item_attempts
    with app.store.transaction(readonly=True) as repo:
        items = repo.failed_items(limit=limit, source_id=source_id, min_attempts=least)
        shown = repo.count_failed_items(source_id=source_id, min_attempts=least)
        trying = repo.count_failed_items(source_id=source_id) - shown
    if as_json:
        output.print_json([_jsonable(item) for item in items])
        return
    if not items:
        out.print("no failed items" + (" of this source" if source_id else ""), highlight=False)
    now = utcnow()
    for item in items:
        out.print(
            f"[bold]#{item.id}[/] {escape(item.source or 'no source')}  {escape(item.url)}",
            highlight=False,
        )
        out.print(
            f"    {escape(output.one_line(item.reason, 200))} [dim]· "
            f"{count(item.attempts, 'attempt')} · last {time_ago(item.last_failed_at, now)}[/]",
            highlight=False,
        )
    if shown > len(items):
        out.print(f"[dim]{count(shown - len(items), 'more item')} (--limit)[/]", highlight=False)
    if trying > 0:
        out.print(
            f"[dim]{count(trying, 'more item')} failed fewer than "
            f"{app.settings.item_attempts} times and will be tried again (--all lists them)[/]",
            highlight=False,
        )


@failures_cli.command("retry")
@handles_errors
def retry(
    ctx: typer.Context,
    item_id: Annotated[int | None, typer.Argument(help="The failed item's id (#N).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Retry every held-back item.")] = False,
    source: SourceOpt = None,
) -> None:
    """Run a failed item again (here, or on a worker when a broker is set)."""
    from newsdesk.distributed.retry import retry_all, retry_item

    if (item_id is None) == (not every):
        err.print("[red]error:[/] give a failed item's id, or --all", highlight=False)
        raise typer.Exit(2)
    app = _ctx(ctx).app
    if item_id is not None:
        done = [retry_item(app, item_id)]
    else:
        done = retry_all(app, source_id=_source_id(app, source))
        if not done:
            out.print("no failed items to retry", highlight=False)
    for result in done:
        _say(result)
    if any(not result.ok for result in done):
        raise typer.Exit(1)


def _say(result: Retried) -> None:
    line = escape(output.one_line(result.message))
    if result.ok:
        out.print(line, highlight=False)
    else:
        err.print(f"[red]failed:[/] {line}", highlight=False)


def _source_id(app: App, key: str | None) -> int | None:
    """The id of the source named by id, URL or title; NotFoundError when none is."""
    if key is None:
        return None
    with app.store.transaction(readonly=True) as repo:
        if key.isdigit():
            return repo.get_source(int(key)).id
        for found in repo.list_sources():
            if key in {found.url, found.title}:
                return found.id
    raise NotFoundError(f"no source {key!r} (give its id, URL or title)")


def _jsonable(item: FailedItem) -> dict[str, object]:
    return {
        "id": item.id,
        "source_id": item.source_id,
        "source": item.source,
        "url": item.url,
        "reason": item.reason,
        "attempts": item.attempts,
        "first_failed_at": item.first_failed_at.isoformat(),
        "last_failed_at": item.last_failed_at.isoformat(),
    }
