"""`newsdesk digests send [--dry-run] [--user NAME]`: e-mail the daily and weekly digests that
are due, through the SMTP server in the settings (run it hourly or daily: deploy/)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from newsdesk import console as output
from newsdesk.cli.root import JsonOpt, _ctx, cli, err, handles_errors, out, progress_bar
from newsdesk.humanize import count

if TYPE_CHECKING:
    from newsdesk.digests.send import Outcome

digests_cli = typer.Typer(help="Digests: e-mail each reader's top followed stories.")
cli.add_typer(digests_cli, name="digests")

BAR_FROM = 10  # readers from which a run shows a progress bar (on a terminal)


@digests_cli.command("send")
@handles_errors
def send(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say who would get how many stories; send nothing.")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Only this reader's digest, now, even if not yet due."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Send the digests that are due; a failed one is reported and tried again next run."""
    from newsdesk.digests.send import FAILED, SENT, WOULD_SEND, send_due

    app = _ctx(ctx).app
    with ExitStack() as bars:
        ticks: list[Callable[[object], None]] = []

        def on_start(total: int) -> None:
            if total >= BAR_FROM and not as_json:
                ticks.append(bars.enter_context(progress_bar("digests", total)))

        def on_each(outcome: Outcome) -> None:
            for tick in ticks:
                tick(outcome)
            if outcome.status == FAILED and not as_json:
                line = f"not sent to {outcome.name} <{outcome.email}>: {outcome.reason}"
                err.print(f"[red]error:[/] {escape(output.one_line(line))}", highlight=False)

        report = send_due(
            app.store, app.settings, user=user, dry_run=dry_run, on_start=on_start, on_each=on_each
        )
    if as_json:
        output.print_json([_jsonable(o) for o in report.outcomes])
    else:
        for o in report.outcomes:
            if o.status == WOULD_SEND:
                line = f"would send {o.name} <{o.email}> {count(o.stories, 'story')}"
                out.print(escape(line), highlight=False)
        done = WOULD_SEND if dry_run else SENT
        out.print(
            f"{report.counted(done)} {done}, {report.counted('nothing new')} with nothing new, "
            f"{len(report.failed)} failed",
            highlight=False,
        )
    if report.failed:
        raise typer.Exit(1)


def _jsonable(o: Outcome) -> dict[str, object]:
    return {
        "name": o.name,
        "email": o.email,
        "status": o.status,
        "stories": o.stories,
        "reason": o.reason,
    }
