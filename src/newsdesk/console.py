"""How the CLI shows things on a terminal (Rich); the data shapes live in serialize.py."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsdesk.humanize import count
from newsdesk.models import SearchHit

if TYPE_CHECKING:  # hints only: importing the pipeline loads spaCy and the store
    from newsdesk.pipeline import IngestReport, PollResult

_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]+@")


# Piped output is never wrapped: Rich would cut lines at 80 columns when it sees no terminal,
# and a script reading our output wants one record per line.
PIPED_WIDTH = 10_000


def terminal(*, stderr: bool = False) -> Console:
    """A console for stdout or stderr; when it is not a terminal, lines are never wrapped."""
    console = Console(stderr=stderr)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, width=PIPED_WIDTH, soft_wrap=True)


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def redact(url: str) -> str:
    """A database URL without its password."""
    return _PASSWORD.sub(r"\1***@", url)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def report_line(report: IngestReport) -> str:
    c = report.counts
    line = (
        f"{count(c['new'], 'new article')}, "
        f"{count(c['duplicate'] + c['near-duplicate'], 'duplicate')} merged "
        f"({c['near-duplicate']} near), {c['unchanged']} unchanged, {c['failed']} failed"
    )
    return line + (f", {count(len(report.warnings), 'warning')}" if report.warnings else "")


def poll_line(result: PollResult) -> str:
    name = result.source.title or result.source.url
    if result.error:
        errors = result.source.error_count
        return f"{name}: error: {one_line(result.error)} (errors in a row: {errors})"
    if result.not_modified:
        return f"{name}: not modified"
    return f"{name}: {report_line(result.report)}"


def print_stats(console: Console, data: dict[str, Any]) -> None:
    table = Table(title="newsdesk store", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("articles", str(data["articles"]))
    table.add_row("duplicates merged", str(data["duplicates"]))
    table.add_row("  of them near-duplicates, text kept", str(data["near_duplicates"]))
    table.add_row("sightings (places published)", str(data["sightings"]))
    table.add_row("publishers", str(data["publishers"]))
    table.add_row("subscribed feeds", str(data["sources"]))
    langs = ", ".join(f"{k} {v}" for k, v in list(data.get("by_language", {}).items())[:8])
    table.add_row("languages", escape(langs))
    console.print(table)


def print_hits(console: Console, hits: list[SearchHit]) -> None:
    if not hits:
        console.print("  (no match)")
        return
    for hit in hits:
        when = hit.published.date().isoformat() if hit.published else "undated"
        console.print(
            f"  [bold]#{hit.article_id}[/] {escape(hit.title)} "
            f"[dim]({escape(hit.source)}, {when})[/]",
            highlight=False,
        )
        console.print(f"      {escape(one_line(hit.snippet, 160))}", highlight=False)


def print_article(console: Console, data: dict[str, Any]) -> None:
    console.print(f"[bold]{escape(data['title'])}[/]", highlight=False)
    when = data.get("published") or "undated"
    if data.get("published") and data.get("published_approx"):
        when = f"about {when}"
    if data.get("modified"):
        when = f"{when} · updated {str(data['modified'])[:10]}"
    meta = [data["source"], data.get("byline"), when, data.get("lang")]
    console.print("[dim]" + escape(" · ".join(str(m) for m in meta if m)) + "[/]")
    if data.get("url"):
        console.print(escape(data["url"]), highlight=False)
    if data.get("duplicate_of"):
        console.print(f"[yellow]near-duplicate of #{data['duplicate_of']}[/]")
    console.print()
    console.print(escape(data["text"]), highlight=False)
    if data["sightings"]:
        console.print("\n[bold]published by[/]")
        for s in data["sightings"]:
            where = s["url"] or ""
            console.print(
                f"  {escape(s['source'])}: {escape(s['title'] or '')} {escape(where)} "
                f"[dim](seen {s['seen_at']})[/]",
                highlight=False,
            )
