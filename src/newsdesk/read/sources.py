"""The source read model: a publisher's articles, newest first, and the feeds named after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.models import SourceRecord
from newsdesk.read.articles import article_cards
from newsdesk.read.shapes import Feed, Source

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store import Repo

SOURCE_PAGE = 30


def source(repo: Repo, name: str, *, offset: int = 0, limit: int = SOURCE_PAGE) -> Source:
    """The publisher called name: its canonical articles [offset, offset + limit), how many it
    has in all, and the subscribed feeds whose title, URL or site URL is name; five queries."""
    offset, limit = max(0, offset), max(1, limit)
    rows = repo.articles_by_source(name, limit=limit + 1, offset=offset)
    feeds = tuple(feed(s) for s in repo.list_sources() if name in (s.title, s.url, s.site_url))
    return Source(
        name=name,
        articles=repo.count_by_source(name),
        feeds=feeds,
        items=tuple(article_cards(rows[:limit])),
        offset=offset,
        limit=limit,
        next_offset=offset + limit if len(rows) > limit else None,
    )


def feed(record: SourceRecord) -> Feed:
    """The public part of a subscribed source: no validators (etag, last_modified)."""
    return Feed(
        id=record.id,
        url=record.url,
        kind=record.kind,
        title=record.title,
        site_url=record.site_url,
        category=record.category,
        last_polled=record.last_polled,
        next_check=record.next_check,
        error_count=record.error_count,
        last_error=record.last_error,
    )
