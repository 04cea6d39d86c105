"""The newsdesk command line: one command per task, `--json` where it prints data.

Exit codes: 0 done, 1 the work failed (one-line reason on stderr), 2 bad usage.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsdesk import console as output
from newsdesk import serialize
from newsdesk.app import App, build
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError, RobotsDisallowedError, SourceError
from newsdesk.extract import extract_article, parse_text_page
from newsdesk.fetch import check_url
from newsdesk.models import FeedRef
from newsdesk.pipeline import Failed, IngestReport, Outcome, PageJob, collect
from newsdesk.pipeline.local import read_file
from newsdesk.sources import discover_feeds, export_opml, parse_opml, sniff

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


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[Outcome | Failed], None]]:
    """A Rich progress bar on stderr; yields the per-item callback."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _result: bar.advance(task)


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
    report = _ingest_paths(_ctx(ctx).app, paths)
    _finish(report, as_json)


@cli.command()
@handles_errors
def add(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A feed URL, a page URL, or a local file.")],
    as_json: JsonOpt = False,
) -> None:
    """Subscribe to a feed (and poll it once), or ingest one page or file."""
    app = _ctx(ctx).app
    if Path(target).exists():
        _finish(_ingest_paths(app, [Path(target)]), as_json)
        return
    url = check_url(target, app.settings)
    try:
        fetched = app.fetcher.fetch(url)
    except RobotsDisallowedError:
        # robots.txt governs pages; a feed is meant to be read by programs like this one.
        fetched = app.fetcher.fetch(url, check_robots=False)
        if sniff(fetched.content, name=url, content_type=fetched.content_type) != "feed":
            raise
    kind = sniff(fetched.content, name=url, content_type=fetched.content_type)
    if kind == "feed":
        report = _subscribe_and_poll(app, url)
        _finish(report, as_json, note=f"subscribed to {url}")
        return
    if kind != "html":
        raise SourceError(f"add: {url}: neither a feed nor an HTML page ({kind})")
    feeds = discover_feeds(fetched.content, fetched.final_url)
    job = PageJob(content=fetched.content, url=fetched.final_url, seen_at=utcnow())
    report = app.ingestor.run([job], size=1)
    if report.failures and feeds:
        report = _subscribe_and_poll(app, feeds[0].xml_url)
        _finish(report, as_json, note=f"not an article; subscribed to its feed {feeds[0].xml_url}")
        return
    note = None
    if feeds:
        note = "feeds on this page: " + ", ".join(f.xml_url for f in feeds)
    _finish(report, as_json, note=note)


@cli.command("import-opml")
@handles_errors
def import_opml(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An OPML subscription list.")],
    as_json: JsonOpt = False,
) -> None:
    """Subscribe to every feed of an OPML list (malformed lists: what can be read)."""
    result = parse_opml(read_file(file))
    added = _subscribe(_ctx(ctx).app, result.feeds)
    data = {"feeds": len(result.feeds), "new": added, "errors": list(result.errors)}
    if as_json:
        output.print_json(data)
        return
    out.print(f"{len(result.feeds)} feeds read, {added} new subscriptions", highlight=False)
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
    text = export_opml(refs)
    if output_file is None:
        sys.stdout.write(text)
    else:
        output_file.write_text(text, encoding="utf-8")
        err.print(f"{len(refs)} feeds written to {output_file}", highlight=False)


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
    """Poll the subscribed sources that are due; keep polling unless --once."""
    app = _ctx(ctx).app
    poller = app.poller
    total = IngestReport()
    rounds = 0
    while True:
        rounds += 1
        due = poller.due(utcnow())
        for source in due:
            result = poller.poll(source, utcnow())
            total.merge(result.report)
            if not as_json:
                out.print(output.poll_line(result), highlight=False)
        if once or (max_rounds and rounds >= max_rounds):
            break
        time.sleep(_seconds_to_next(app))
    if as_json:
        output.print_json(total.as_dict())
    elif not once or not total.counts:
        out.print(output.report_line(total), highlight=False)


# -- reading ----------------------------------------------------------------------------------


@cli.command()
@handles_errors
def extract(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An HTML file, a URL, or - for stdin.")],
) -> None:
    """Extract the article of a page and print it as JSON (nothing is stored)."""
    settings = _ctx(ctx).settings
    url: str | None = None
    if target == "-":
        data = sys.stdin.buffer.read()
    elif Path(target).exists():
        data = read_file(Path(target))
    elif "://" in target:
        url = check_url(target, settings)
        app = _ctx(ctx).app
        data = app.fetcher.fetch(url).content
    else:
        raise SourceError(f"extract: {target}: no such file, and not a URL")
    if sniff(data, name=target) == "text":
        items = parse_text_page(data.decode("utf-8", errors="replace"), now=utcnow())
        output.print_json(serialize.item_dict(items[0]))
        return
    output.print_json(serialize.extracted_dict(extract_article(data, url)))


@cli.command()
@handles_errors
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only this language (ISO code).")] = None,
    since: Annotated[datetime | None, typer.Option(help="Published on or after.")] = None,
    until: Annotated[datetime | None, typer.Option(help="Published before.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search, ranked, with snippets."""
    with _ctx(ctx).app.store.transaction() as repo:
        hits = repo.search(
            query,
            source=source,
            lang=lang,
            since=serialize.aware(since),
            until=serialize.aware(until),
            limit=limit,
        )
    if as_json:
        output.print_json([serialize.hit_dict(h) for h in hits])
        return
    if not hits:
        out.print(f"no articles match {query!r}", highlight=False)
        return
    output.print_hits(out, hits)


@cli.command()
@handles_errors
def show(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article id.")],
    as_json: JsonOpt = False,
) -> None:
    """One article, with every place it was published."""
    with _ctx(ctx).app.store.transaction() as repo:
        article = repo.get_article(article_id)
        duplicate_of = repo.duplicate_of(article_id)
    data = serialize.article_dict(article, duplicate_of)
    if as_json:
        output.print_json(data)
        return
    output.print_article(out, data)


@cli.command()
@handles_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="Only jsonl for now.")] = "jsonl",
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Export every article, one JSON object per line, with its sightings."""
    if fmt != "jsonl":
        raise typer.BadParameter(f"unknown format {fmt!r}; use jsonl", param_hint="--format")
    stream = sys.stdout if output_file is None else output_file.open("w", encoding="utf-8")
    count = 0
    try:
        with _ctx(ctx).app.store.transaction() as repo:
            for article, duplicate_of in repo.iter_articles():
                data = serialize.article_dict(article, duplicate_of)
                stream.write(json.dumps(data, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if output_file is not None:
            stream.close()
            err.print(f"{count} articles written to {output_file}", highlight=False)


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
        for query in ("prisoner exchange", "earthquake", "election"):
            hits = repo.search(query, limit=3)
            out.print(f"\n[bold]search:[/] {query}", highlight=False)
            output.print_hits(out, hits)
    out.print(
        f"\nstore: {output.redact(app.settings.db_url)}. Try: newsdesk --db "
        f"{app.settings.db} search 'ceasefire'",
        highlight=False,
    )


# -- helpers ----------------------------------------------------------------------------------


def _ingest_paths(app: App, paths: list[Path]) -> IngestReport:
    batch = collect(paths, utcnow())
    if batch.feeds:
        added = _subscribe(app, batch.feeds)
        err.print(f"{len(batch.feeds)} feeds from OPML lists, {added} new", highlight=False)
    with progress_bar("ingesting", len(batch.jobs)) as tick:
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs), progress=tick)
    report.failures[:0] = batch.failures
    report.counts["failed"] += sum(1 for f in batch.failures if not f.error.startswith("warning"))
    return report


def _subscribe(app: App, feeds: list[FeedRef] | tuple[FeedRef, ...]) -> int:
    added = 0
    with app.store.transaction() as repo:
        known = {s.url for s in repo.list_sources()}
        for ref in feeds:
            repo.upsert_source(
                ref.xml_url,
                kind="feed",
                title=ref.title,
                site_url=ref.html_url,
                category=ref.category,
            )
            added += ref.xml_url not in known
            known.add(ref.xml_url)
    return added


def _subscribe_and_poll(app: App, url: str) -> IngestReport:
    with app.store.transaction() as repo:
        source = repo.upsert_source(url, kind="feed")
    result = app.poller.poll(source, utcnow())
    if result.error:
        raise SourceError(f"subscribed to {url}, but the first poll failed: {result.error}")
    return result.report


def _seconds_to_next(app: App) -> float:
    with app.store.transaction() as repo:
        checks = [s.next_check for s in repo.list_sources() if s.next_check]
    if not checks:
        return 60.0
    wait = (min(checks) - utcnow()).total_seconds()
    return min(max(wait, 5.0), 3600.0)


def _finish(report: IngestReport, as_json: bool, note: str | None = None) -> None:
    if as_json:
        data: dict[str, Any] = report.as_dict()
        if note:
            data["note"] = note
        output.print_json(data)
    else:
        out.print(output.report_line(report), highlight=False)
        if note:
            out.print(note, highlight=False)
        for failure in report.failures[:20]:
            err.print(
                f"[yellow]{output.one_line(failure.label)}:[/] {output.one_line(failure.error)}",
                highlight=False,
            )
        if len(report.failures) > 20:
            err.print(f"... and {len(report.failures) - 20} more", highlight=False)
    stored = sum(report.counts[k] for k in ("new", "duplicate", "near-duplicate", "unchanged"))
    if report.counts["failed"] and not stored:
        raise typer.Exit(1)


def main() -> None:
    cli()
