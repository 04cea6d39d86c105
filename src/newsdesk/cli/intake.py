"""Commands that bring news in and keep the store: init, stats, ingest, add, OPML, poll, demo."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from newsdesk import console as output
from newsdesk import serialize
from newsdesk.cli.progress import Clock
from newsdesk.cli.root import JsonOpt, _ctx, cli, err, handles_errors, ingest_progress, out
from newsdesk.dates import utcnow
from newsdesk.errors import SourceError
from newsdesk.humanize import count
from newsdesk.models import FeedRef

# The pipeline, sources and app load inside the commands that use them: `--help` and the
# light commands start without spaCy, the embedder or the extractor.
if TYPE_CHECKING:
    from newsdesk.app import App
    from newsdesk.pipeline import IngestReport, PollResult

# -- store ------------------------------------------------------------------------------------


@cli.command()
@handles_errors
def init(ctx: typer.Context) -> None:
    """Create (or upgrade) the store."""
    app = _ctx(ctx).app
    out.print(f"store ready: {output.redact(app.settings.db_url)}", highlight=False)


@cli.command()
@handles_errors
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts: articles, duplicates merged, sightings, sources, languages."""
    with _ctx(ctx).app.store.transaction() as repo:
        data = serialize.stats_dict(repo.stats())
    if as_json:
        output.print_json(data)
        return
    output.print_stats(out, data)


# -- getting news in --------------------------------------------------------------------------


@cli.command()
@handles_errors
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    as_json: JsonOpt = False,
) -> None:
    """Ingest local files: HTML pages, feed files, JSONL articles, OPML lists, text pages."""
    clock = Clock()
    report = _ingest_paths(_ctx(ctx).app, paths)
    _finish(report, as_json, timing=clock.rate(sum(report.counts.values())))


@cli.command()
@handles_errors
def add(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A feed URL, a page URL, or a local file.")],
    as_json: JsonOpt = False,
) -> None:
    """Subscribe to a feed (and poll it once), or ingest one page or file."""
    from newsdesk.pipeline.subscribe import add_url

    app = _ctx(ctx).app
    if not target.strip():
        raise SourceError("add: the target is empty: give a feed URL, a page URL or a file")
    if Path(target).exists():
        _finish(_ingest_paths(app, [Path(target)]), as_json)
        return
    added = add_url(target, fetcher=app.fetcher, ingestor=app.ingestor, poller=app.poller)
    note = None
    if added.subscribed:
        note = f"subscribed to {added.subscribed}"
    elif added.feeds_on_page:
        note = "feeds on this page: " + ", ".join(added.feeds_on_page)
    _finish(added.report, as_json, note=note)


@cli.command("import-opml")
@handles_errors
def import_opml(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An OPML subscription list.")],
    as_json: JsonOpt = False,
) -> None:
    """Subscribe to every feed of an OPML list (malformed lists: what can be read)."""
    from newsdesk.pipeline.local import read_file
    from newsdesk.pipeline.subscribe import subscribe
    from newsdesk.sources import parse_opml

    result = parse_opml(read_file(file, _ctx(ctx).settings.max_file_bytes))
    added = subscribe(_ctx(ctx).app.store, result.feeds)
    data = {"feeds": len(result.feeds), "new": added, "errors": list(result.errors)}
    if as_json:
        output.print_json(data)
        return
    out.print(
        f"{count(len(result.feeds), 'feed')} read, {count(added, 'new subscription')}",
        highlight=False,
    )
    for line in result.errors:
        err.print(f"[yellow]skipped:[/] {output.one_line(line)}", highlight=False)


@cli.command("export-opml")
@handles_errors
def export_opml_cmd(
    ctx: typer.Context,
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Write the subscriptions as OPML."""
    with _ctx(ctx).app.store.transaction() as repo:
        refs = [
            FeedRef(xml_url=s.url, title=s.title, html_url=s.site_url, category=s.category)
            for s in repo.list_sources()
            if s.kind == "feed"
        ]
    from newsdesk.sources import export_opml

    text = export_opml(refs)
    if output_file is None:
        sys.stdout.write(text)
    else:
        output_file.write_text(text, encoding="utf-8")
        err.print(f"{count(len(refs), 'feed')} written to {output_file}", highlight=False)


@cli.command()
@handles_errors
def poll(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Poll what is due, then stop.")] = False,
    max_rounds: Annotated[
        int, typer.Option(help="Stop after this many rounds (0: run until interrupted).")
    ] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Poll the subscribed sources that are due; keep polling unless --once.

    A round polls due sources until none is left or its time budget (NEWSDESK_POLL_ROUND_SECONDS)
    is spent; a failing source is recorded with backoff and the round goes on."""
    from newsdesk.pipeline import IngestReport

    app = _ctx(ctx).app
    poller = app.poller
    total = IngestReport()
    rounds = 0

    def show(result: PollResult) -> None:
        if not as_json:
            out.print(output.poll_line(result), highlight=False)

    while True:
        rounds += 1
        done = poller.poll_due(on_result=show)
        total.merge(done.report)
        if done.left_due and not as_json:
            err.print(
                f"{count(done.left_due, 'source')} still due: the round's time budget ran out",
                highlight=False,
            )
        if once or (max_rounds and rounds >= max_rounds):
            break
        time.sleep(_seconds_to_next(app))
    if as_json:
        output.print_json(total.as_dict())
    elif not once or not total.counts:
        out.print(output.report_line(total), highlight=False)


@cli.command()
@handles_errors
def demo(
    ctx: typer.Context,
    sample: Annotated[Path, typer.Argument(help="The folder of sample data.")] = Path(
        "data/sample"
    ),
) -> None:
    """Ingest the sample data and show what newsdesk made of it."""
    app = _ctx(ctx).app
    started = time.perf_counter()
    report = _ingest_paths(app, [sample])
    elapsed = time.perf_counter() - started
    out.print(output.report_line(report) + f" in {elapsed:.1f} s", highlight=False)
    with app.store.transaction() as repo:
        data = serialize.stats_dict(repo.stats())
        output.print_stats(out, data)
        for query in ("prisoner exchange", "earthquake"):
            hits = repo.search(query, limit=3)
            out.print(f"\n[bold]search:[/] {query}", highlight=False)
            output.print_hits(out, hits)
        widest = sorted(repo.list_stories(limit=500), key=lambda s: (-s.sources, s.id))[:5]
        out.print("\n[bold]stories with the widest coverage[/]")
        for story in widest:
            out.print(
                f"  #{story.id} {escape(story.title)} [dim]({count(story.sources, 'source')})[/]",
                highlight=False,
            )
        if widest and (brief := repo.get_brief(story_id=widest[0].id)) is not None:
            out.print(f"\n[bold]the desk's brief of story #{widest[0].id}[/]")
            for line in brief.summary:
                out.print(f"  {escape(line.text)}", highlight=False)
            people = ", ".join(w.name for w in brief.who if w.type == "PERSON")[:200]
            out.print(f"  [dim]who:[/] {escape(people)}", highlight=False)
            out.print(f"  [dim]tags:[/] {' '.join(brief.hashtags)}", highlight=False)
    db = app.settings.db
    out.print(
        f"\nstore: {output.redact(app.settings.db_url)}\nTry: newsdesk --db {db} stories | "
        f"story {widest[0].id if widest else 1} | brief 1 | related 1 | ask 'who leads the "
        "Russian delegation?'",
        highlight=False,
    )


# -- helpers ----------------------------------------------------------------------------------


def _ingest_paths(app: App, paths: list[Path]) -> IngestReport:
    from newsdesk.pipeline import collect
    from newsdesk.pipeline.local import sqlite_files
    from newsdesk.pipeline.subscribe import subscribe

    settings = app.settings
    batch = collect(
        paths,
        utcnow(),
        max_bytes=settings.max_file_bytes,
        store_files=sqlite_files(settings.db_url),
    )
    if batch.feeds:
        added = subscribe(app.store, batch.feeds)
        err.print(
            f"{count(len(batch.feeds), 'feed')} from OPML lists, {added} new", highlight=False
        )
    enriching = app.desk is not None
    with ingest_progress(len(batch.jobs), enriching=enriching) as (on_stored, on_enriched):
        report = app.ingestor.run(
            batch.jobs, size=len(batch.jobs), progress=on_stored, enrich_progress=on_enriched
        )
    report.failures[:0] = batch.failures
    report.warnings[:0] = batch.warnings
    report.counts["failed"] += len(batch.failures)
    return report


def _seconds_to_next(app: App) -> float:
    """Until the next source falls due: at least a second, at most an hour."""
    now = utcnow()
    due_at = app.poller.next_due_at(now)
    if due_at is None:
        return 60.0
    return min(max((due_at - now).total_seconds(), 1.0), 3600.0)


def _finish(
    report: IngestReport, as_json: bool, note: str | None = None, timing: str | None = None
) -> None:
    if as_json:
        data: dict[str, Any] = report.as_dict()
        if note:
            data["note"] = note
        output.print_json(data)
    else:
        line = output.report_line(report)
        out.print(f"{line} {timing}" if timing else line, highlight=False)
        if note:
            out.print(note, highlight=False)
        for failure in report.failures[:20]:
            err.print(
                f"[yellow]{output.one_line(failure.label)}:[/] {output.one_line(failure.error)}",
                highlight=False,
            )
        if len(report.failures) > 20:
            err.print(f"... and {len(report.failures) - 20} more", highlight=False)
        for warning in report.warnings[:20]:
            err.print(f"[yellow]warning:[/] {escape(output.one_line(warning))}", highlight=False)
        if len(report.warnings) > 20:
            err.print(
                f"... and {count(len(report.warnings) - 20, 'more warning')}", highlight=False
            )
    stored = sum(report.counts[k] for k in ("new", "duplicate", "near-duplicate", "unchanged"))
    if report.counts["failed"] and not stored:
        raise typer.Exit(1)
