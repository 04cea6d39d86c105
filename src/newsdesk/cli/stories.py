"""Commands on stories and briefs: stories, story, brief, related, ask, enrich, reprocess."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from typer._click import Command, Context
from typer.core import TyperGroup

from newsdesk import read, serialize
from newsdesk.cli.root import JsonOpt, _ctx, cli, err, handles_errors, out, progress_bar
from newsdesk.console import print_json
from newsdesk.dates import utcnow
from newsdesk.errors import ConfigError, NotFoundError, SourceError
from newsdesk.humanize import count, time_ago
from newsdesk.models import Brief
from newsdesk.section_names import SECTIONS, slug

if TYPE_CHECKING:
    from newsdesk.pipeline import StoryDesk


class _StoryGroup(TyperGroup):
    """`newsdesk story 42` shows story 42; `story split` and `story merge` fix stories by hand."""

    # typer carries its own click (typer._click): its groups take and give that click's types.
    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        if args and args[0].isdigit():
            return "show", self.get_command(ctx, "show"), args
        return super().resolve_command(ctx, args)


story_cli = typer.Typer(cls=_StoryGroup, help="One story: show it, or split and merge by hand.")
cli.add_typer(story_cli, name="story")


@cli.command()
@handles_errors
def stories(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    section: Annotated[
        str | None, typer.Option(help="Only this section or country (Sports, united-states).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Top stories: most sources first, then freshest."""
    now = utcnow()
    with _ctx(ctx).app.store.transaction(readonly=True) as repo:
        if section is not None:
            known = [*SECTIONS, *repo.section_counts()]
            section = next((n for n in known if slug(n) == slug(section)), section)
        rows = repo.list_stories(limit=limit, offset=offset, section=section)
        cards = read.story_cards(repo, rows)
    if as_json:
        print_json([read.to_json(c) for c in cards])  # the items of /api/v1/stories
        return
    if not cards:
        out.print("no stories yet: ingest something first")
    for c in cards:
        out.print(
            f"[bold]#{c.id}[/] {escape(c.title)} [dim]({_filed(c)}{count(c.sources, 'source')}, "
            f"{count(c.articles, 'article')}, {time_ago(c.last_seen, now)})[/]",
            highlight=False,
        )


def _filed(card: read.StoryCard) -> str:
    """ "Sports, United States, " or "": where a story is filed, as the line shows it."""
    return "".join(f"{escape(n)}, " for n in (card.section, card.nation) if n)


@story_cli.command("show")
@handles_errors
def story_show(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="The story id (an old, merged id works too).")],
    limit: Annotated[
        int, typer.Option(min=1, max=read.MAX_COVERAGE_PAGE, help="Coverage articles shown.")
    ] = read.COVERAGE_PAGE,
    offset: Annotated[int, typer.Option(min=0, help="Coverage articles skipped.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """A story: its brief and one page of its coverage, with why each article belongs."""
    with _ctx(ctx).app.store.transaction(readonly=True) as repo:
        view = read.story(repo, story_id, offset=offset, limit=limit)
    if as_json:
        print_json(read.to_json(view))  # what /api/v1/stories/ID says
        return
    out.print(f"[bold]story #{view.id}: {escape(view.title)}[/]", highlight=False)
    updated = f"updated {time_ago(view.last_seen, utcnow())}" if view.last_seen else "undated"
    sizes = f"{count(view.articles, 'article')} from {count(view.sources, 'source')}"
    out.print(f"[dim]{sizes}, {updated}[/]", highlight=False)
    if view.brief:
        _print_brief(view.brief)
    page = view.coverage
    out.print("\n[bold]coverage[/]")
    for c in page.items:
        when = c.published.isoformat() if c.published else "undated"
        out.print(
            f"  #{c.id} {escape(c.source)}: {escape(c.title)} [dim]({when}; {escape(c.why)})[/]",
            highlight=False,
        )
    if page.next_offset is not None:
        left = page.total - page.next_offset
        out.print(
            f"[dim]  ... {count(left, 'more article')}: --offset {page.next_offset}[/]",
            highlight=False,
        )


@story_cli.command("split")
@handles_errors
def story_split(
    ctx: typer.Context,
    article_ids: Annotated[
        list[int], typer.Argument(help="Articles to move to a story of their own.")
    ],
) -> None:
    """Move articles out of their story into a new one; the fix survives re-runs."""
    desk = _desk(ctx, "story split")
    new_id = desk.split(article_ids)
    out.print(f"articles {', '.join(map(str, article_ids))} now form story #{new_id}")


@story_cli.command("merge")
@handles_errors
def story_merge(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(help="The story to keep.")],
    others: Annotated[list[int], typer.Argument(help="Stories to merge into it.")],
) -> None:
    """Merge stories by hand; merged ids keep working and the fix survives re-runs."""
    desk = _desk(ctx, "story merge")
    kept = desk.merge([keep, *others])
    out.print(f"stories {', '.join(map(str, [keep, *others]))} are now story #{kept}")


@cli.command()
@handles_errors
def brief(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article id.")],
    as_json: JsonOpt = False,
) -> None:
    """The desk's brief of one article: summary, key points, who's who, quotes, figures, tags."""
    with _ctx(ctx).app.store.transaction(readonly=True) as repo:
        canonical = repo.duplicate_of(article_id) or article_id
        found = repo.get_brief(article_id=canonical)
    if found is None:
        raise NotFoundError(f"brief: article {article_id} has no brief yet (run reprocess)")
    if as_json:
        print_json(serialize.brief_dict(found))
        return
    _print_brief(found)


@cli.command()
@handles_errors
def related(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article id.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 8,
    as_json: JsonOpt = False,
) -> None:
    """Related articles: other coverage of the story, then related stories; no duplicates."""
    from newsdesk.related import related_articles

    with _ctx(ctx).app.store.transaction(readonly=True) as repo:
        items = related_articles(repo, article_id, utcnow(), limit=limit)
    if as_json:
        print_json([serialize.related_dict(i) for i in items])
        return
    if not items:
        out.print("no related articles yet")
    for i in items:
        label = "same story" if i.kind == "coverage" else "related"
        out.print(
            f"  #{i.article_id} [bold]{escape(i.source)}[/] · {i.when} · {escape(i.title)} "
            f"[dim]({label})[/]",
            highlight=False,
        )


@cli.command()
@handles_errors
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question about the news.")],
    story: Annotated[int | None, typer.Option(help="Only this story's coverage.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer from the coverage, citing the sentences; says so when nothing supports an answer."""
    from newsdesk.ask_archive import ask_archive  # spaCy: loaded for the commands that need it

    app = _ctx(ctx).app
    with app.store.transaction(readonly=True) as repo:
        answer = ask_archive(repo, question, story_id=story, llm=app.llm)
    if as_json:
        print_json(serialize.answer_dict(answer))
        return
    out.print(escape(answer.text), highlight=False)
    if answer.found:
        for line in answer.lines:
            cites = ", ".join(f"#{c.article_id}:{c.sentence}" for c in line.cites)
            out.print(f"  • {escape(line.text)} [dim]({cites})[/]", highlight=False)


@cli.command()
@handles_errors
def enrich(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="An HTML or text page, or - for stdin.")],
) -> None:
    """The brief of one page as JSON, without storing anything."""
    from newsdesk.enrich import analyze, article_brief
    from newsdesk.extract import extract_article, parse_text_page
    from newsdesk.pipeline.local import read_file, read_stream
    from newsdesk.pipeline.unpack import unpack
    from newsdesk.sources import sniff

    if target == "-":
        data = read_stream(sys.stdin.buffer, "stdin", _ctx(ctx).settings.max_file_bytes)
        data = unpack(data, "stdin", _ctx(ctx).settings.max_file_bytes)
    elif Path(target).exists():
        data = read_file(Path(target), _ctx(ctx).settings.max_file_bytes)
        data = unpack(data, target, _ctx(ctx).settings.max_file_bytes)
    else:
        raise SourceError(f"enrich: {target}: no such file")
    if sniff(data, name=target) == "text":
        item = parse_text_page(data.decode("utf-8", errors="replace"), now=utcnow())[0]
        title, text, lang = item.title or "", item.text or "", item.lang
    else:
        ext = extract_article(data)
        title, text, lang = ext.title, ext.text, ext.lang
    made = article_brief(analyze(text, title=title, lang=lang))
    print_json({"title": title, **serialize.brief_dict(made)})


@cli.command()
@handles_errors
def reprocess(
    ctx: typer.Context,
    as_json: JsonOpt = False,
) -> None:
    """Re-run enrichment over the whole archive (briefs, tags, story briefs); stories stay."""
    app = _ctx(ctx).app
    desk = _desk(ctx, "reprocess")
    with app.store.transaction(readonly=True) as repo:
        ids = repo.all_canonical_ids()
    with progress_bar("enriching", len(ids)) as tick:
        touched, failures = desk.run(ids, tick, replace=True)
    data = {"articles": len(ids), "stories": touched, "failed": len(failures)}
    if as_json:
        print_json(data)
        return
    out.print(
        f"{count(len(ids), 'article')} enriched, {count(touched, 'story')} updated, "
        f"{len(failures)} failed"
    )
    for f in failures[:10]:
        err.print(f"[yellow]{escape(f.label)}:[/] {escape(f.error)}", highlight=False)


def _desk(ctx: typer.Context, command: str) -> StoryDesk:
    """The story desk, or a ConfigError when enrichment is switched off."""
    desk = _ctx(ctx).app.desk
    if desk is None:
        raise ConfigError(
            f"{command}: enrichment is off (NEWSDESK_ENRICH=false); "
            "set NEWSDESK_ENRICH=true to build briefs and stories"
        )
    return desk


def _print_brief(b: Brief) -> None:
    if not b.available:
        out.print(f"[yellow]{escape(b.note or 'no brief for this language')}[/]")
        return
    sections = [
        ("summary", [line.text for line in b.summary]),
        ("key points", [line.text for line in b.key_points]),
        ("who's who", [f"{w.name} ({w.role or w.type.lower()})" for w in b.who[:12]]),
        ("quotes", [f"“{q.text}” — {q.speaker or 'unattributed'}" for q in b.quotes[:8]]),
        ("key figures", [f"{f.value} {f.unit or ''}: {f.what}".strip() for f in b.figures[:8]]),
        ("timeline", [f"{t.when}: {t.text}" for t in b.timeline[:12]]),
    ]
    for title, lines in sections:
        if lines:
            out.print(f"\n[bold]{title}[/]")
            for text in lines:
                out.print(f"  • {escape(text)}", highlight=False)
    for angle in b.angles:
        out.print(f"\n[bold]only in {escape(angle.source)}[/]")
        for line in angle.lines:
            out.print(f"  • {escape(line.text)}", highlight=False)
    if b.hashtags:
        out.print("\n" + " ".join(b.hashtags), highlight=False)
