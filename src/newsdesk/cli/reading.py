"""Commands that read: extract, search, show, export."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Annotated

import typer

from newsdesk import console as output
from newsdesk import humanize, read, serialize
from newsdesk.cli.root import JsonOpt, _ctx, cli, err, handles_errors, out
from newsdesk.dates import utcnow
from newsdesk.errors import SourceError
from newsdesk.models import StoredArticle

INDEX_NOTICE_S = 2.0  # a search waiting this long for the vector index says why
EXPORT_BATCH = 500  # articles whose briefs and stories export reads in one query each


def _batched(
    items: Iterable[tuple[StoredArticle, int | None]], size: int
) -> Iterator[list[tuple[StoredArticle, int | None]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# -- reading ----------------------------------------------------------------------------------


@cli.command()
@handles_errors
def extract(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An HTML file, a URL, or - for stdin.")],
) -> None:
    """Extract the article of a page and print it as JSON (nothing is stored)."""
    # loaded here, not on import: every other command starts without the extractor
    from newsdesk.extract import extract_article, parse_text_page
    from newsdesk.fetch import check_url
    from newsdesk.pipeline.local import read_file, read_stream
    from newsdesk.pipeline.unpack import unpack
    from newsdesk.sources import sniff

    settings = _ctx(ctx).settings
    url: str | None = None
    if target == "-":
        data = read_stream(sys.stdin.buffer, "stdin", settings.max_file_bytes)
        data = unpack(data, "stdin", settings.max_file_bytes)  # page.html.gz piped in
    elif Path(target).exists():
        data = read_file(Path(target), settings.max_file_bytes)
        data = unpack(data, target, settings.max_file_bytes)
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
    section: Annotated[str | None, typer.Option(help="Only stories of this section.")] = None,
    mode: Annotated[
        str, typer.Option(help="hybrid: words and meaning; text: words only.")
    ] = "hybrid",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Search by words and meaning: one result per story, its best article, with snippets."""
    from newsdesk.pipeline.enrich import EMBEDDING_MODEL
    from newsdesk.store.ann import index_for

    if mode not in {"hybrid", "text"}:
        raise typer.BadParameter(f"unknown mode {mode!r}; use hybrid or text", param_hint="--mode")
    app = _ctx(ctx).app
    index = index_for(app.settings.db_url, app.settings.vector_index, EMBEDDING_MODEL)

    # Loading the index file takes a moment; building it from 10^6 stored vectors, minutes.
    def building() -> None:
        if not index.ready:
            err.print(
                "search: building the vector index from the stored vectors (once per process;"
                " NEWSDESK_VECTOR_INDEX keeps it in a file)…",
                highlight=False,
            )

    notice = threading.Timer(INDEX_NOTICE_S, building)
    notice.daemon = True
    if mode != "text":
        notice.start()
    try:
        with app.store.transaction(readonly=True) as repo:
            hits = repo.search_stories(
                query,
                index=index,
                index_wait=None,  # one search a process: wait for the index (built once, then kept)
                mode="text" if mode == "text" else "hybrid",
                source=source,
                lang=lang,
                section=section,
                since=serialize.aware(since),
                until=serialize.aware(until),
                limit=limit,
            )[:limit]
    finally:
        notice.cancel()
    if as_json:
        output.print_json([serialize.story_hit_dict(h) for h in hits])
        return
    if not hits:
        out.print(f"no stories match {query!r}", highlight=False)
        return
    for found in hits:
        output.print_hits(out, [found.hit])
        by = " and ".join("words" if m == "text" else "meaning" for m in found.matched)
        story = f"story {found.story_id}, {found.others} more" if found.story_id else "no story"
        out.print(f"      [dim]({story}; matched by {by})[/]", highlight=False)


@cli.command()
@handles_errors
def show(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article id.")],
    as_json: JsonOpt = False,
) -> None:
    """One article, with every place it was published, its story, tags and brief."""
    with _ctx(ctx).app.store.transaction(readonly=True) as repo:
        data = read.to_json(read.article(repo, article_id))  # what /api/v1/articles/ID says
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
    """Export every article, one JSON object per line, with its sightings, story and brief."""
    if fmt != "jsonl":
        raise typer.BadParameter(f"unknown format {fmt!r}; use jsonl", param_hint="--format")
    stream = sys.stdout if output_file is None else output_file.open("w", encoding="utf-8")
    count = 0
    try:
        with _ctx(ctx).app.store.transaction(readonly=True) as repo:
            # Briefs and stories are read for a batch of articles at once, not one by one.
            for batch in _batched(repo.iter_articles(), EXPORT_BATCH):
                ids = [article.id for article, _ in batch]
                briefs = repo.article_briefs(ids)
                stories = repo.stories_of(ids)
                for article, duplicate_of in batch:
                    data = serialize.article_dict(article, duplicate_of)
                    brief = None if duplicate_of else briefs.get(article.id)
                    data.update(serialize.brief_export(brief, stories.get(article.id)))
                    stream.write(json.dumps(data, ensure_ascii=False) + "\n")
                    count += 1
    finally:
        if output_file is not None:
            stream.close()
            err.print(
                f"{humanize.count(count, 'article')} written to {output_file}", highlight=False
            )
