"""`newsdesk status`: what the desk is doing now (queues, workers, ingest rate, failures)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from newsdesk import console as output
from newsdesk.cli.root import JsonOpt, _ctx, cli, handles_errors, out
from newsdesk.humanize import count

if TYPE_CHECKING:
    from newsdesk.distributed.status import Status


@cli.command()
@handles_errors
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Queue depths, workers seen in the last minute, articles per minute, failed items."""
    from newsdesk.distributed.status import gather

    app = _ctx(ctx).app
    now = gather(app.settings, app.store)
    if as_json:
        output.print_json(now.to_json())
        return
    for line in lines(now):
        out.print(escape(line), highlight=False)


def lines(now: Status) -> list[str]:
    """The status as short lines: the same facts as /admin/status and /metrics."""
    a = now.activity
    rate = f"{a.per_minute:.1f} articles a minute over the last {a.minutes} minutes"
    local = " (no broker set: every stage runs in this process tree)"
    found = [
        f"mode: {now.mode}{local if now.mode == 'local' else ''}",
        f"store: {count(a.articles, 'article')}, {count(a.sources, 'source')}"
        f" ({a.sources_failing} failing)",
        f"ingest: {'at least ' if a.capped else ''}{rate}",
        f"failed items: {now.failed_items}"
        + (" (see `newsdesk failures`)" if now.failed_items else ""),
    ]
    if now.mode != "distributed":
        return found
    if now.broker_error:
        return [*found, f"broker: not reachable: {now.broker_error}"]
    for q in now.queues:
        found.append(
            f"queue {q.name}: {count(q.messages, 'message')} waiting, "
            f"{count(q.consumers, 'consumer')}"
        )
    seen = f" ({', '.join(now.workers)})" if now.workers else ""
    found.append(f"workers seen in the last minute: {len(now.workers)}{seen}")
    return found
