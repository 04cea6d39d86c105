"""JSON Feed 1.0/1.1 (and Scripting News's RSS-in-JSON) -> ParsedFeed, tolerant of gaps."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from newsdesk.errors import FeedError
from newsdesk.models import Item, ParsedFeed
from newsdesk.sanitize import clean_text
from newsdesk.sources.fields import (
    ITEM_FAULTS,
    capped,
    fault_line,
    first_url,
    identifier,
    item_warning,
    language,
    plain_title,
    rich_html,
    url_field,
    when,
)
from newsdesk.sources.jsontext import loads
from newsdesk.sources.links import host_of, safe_url

MAX_JSON_BYTES = 50 * 1024 * 1024


def _load(data: bytes) -> object:
    if len(data) > MAX_JSON_BYTES:
        raise FeedError(f"feed: JSON Feed of {len(data)} bytes is over {MAX_JSON_BYTES}")
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        body = text.rstrip()
        if exc.pos >= len(body) - 1 or not body.endswith(("}", "]")):
            raise FeedError(f"feed: JSON Feed is truncated (ends at line {exc.lineno})") from exc
        raise FeedError(f"feed: invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError as exc:
        raise FeedError("feed: JSON nested too deeply") from exc


def _str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def _authors(obj: Mapping[str, Any]) -> list[Any]:
    # "authors" is a list (1.1), "author" one object (1.0); anything else names nobody.
    authors = obj.get("authors")
    if isinstance(authors, list) and authors:
        return authors
    return [obj["author"]] if obj.get("author") else []


def _byline(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> str | None:
    authors = _authors(entry) or _authors(feed)
    names = [
        a["name"] for a in authors if isinstance(a, Mapping) and isinstance(a.get("name"), str)
    ]
    return plain_title(", ".join(names)) if names else None


def _json_item(
    entry: Mapping[str, Any], feed: Mapping[str, Any], ctx: dict[str, Any], issues: list[str]
) -> Item:
    base = ctx["base"]
    url = first_url(
        [(entry.get("url"), "url"), (entry.get("external_url"), "external_url")], base, issues
    )
    text = _str(entry, "content_text")
    summary = _str(entry, "summary")
    return Item(
        url=url,
        source=ctx["source"],
        title=plain_title(_str(entry, "title")),
        html=rich_html(_str(entry, "content_html"), url or base),
        text=clean_text(text).strip() or None if text else None,
        summary=rich_html(summary, url or base, "text/plain"),
        published=when(None, entry.get("date_published")) or when(None, entry.get("date_modified")),
        lang=language(entry.get("language"), feed.get("language")),
        byline=_byline(entry, feed),
        external_id=identifier(entry.get("id")),
        source_url=ctx["feed_url"],
        image=first_url(
            [(entry.get("image"), "image"), (entry.get("banner_image"), "banner_image")],
            base,
            issues,
        ),
    )


def _rss_json_item(entry: Mapping[str, Any], ctx: dict[str, Any], issues: list[str]) -> Item:
    url = url_field(entry.get("link"), ctx["base"], "link", issues)
    guid = entry.get("guid")
    return Item(
        url=url,
        source=ctx["source"],
        title=plain_title(_str(entry, "title")),
        summary=rich_html(_str(entry, "description"), url or ctx["base"]),
        published=when(None, entry.get("pubDate")),
        external_id=identifier(guid.get("#value") if isinstance(guid, Mapping) else guid),
        source_url=ctx["feed_url"],
    )


def _items(
    entries: list[Any], make: Callable[[Mapping[str, Any], list[str]], Item], source: str
) -> tuple[list[Item], list[str]]:
    """Items made one by one: a fault costs its item, a refused URL its field; both are told."""
    items: list[Item] = []
    warnings: list[str] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            continue
        issues: list[str] = []
        title = entry.get("title")
        try:
            item = make(entry, issues)
        except ITEM_FAULTS as exc:
            warnings.append(item_warning(source, number, title, fault_line(exc)))
            continue
        items.append(item)
        if issues:
            warnings.append(item_warning(source, number, title, "dropped " + "; ".join(issues)))
    return items, warnings


def parse_json_feed(data: bytes, url: str | None, max_items: int) -> ParsedFeed:
    """A JSON Feed as a ParsedFeed; FeedError when it is not JSON or not a feed."""
    doc = _load(data)
    if not isinstance(doc, dict):
        raise FeedError("feed: JSON document is not an object, so not a JSON Feed")
    feed_url = safe_url(url)
    rss = doc.get("rss")
    if isinstance(rss, Mapping) and isinstance(rss.get("channel"), Mapping):
        feed: Mapping[str, Any] = rss["channel"]
        site = safe_url(_str(feed, "link"), feed_url)
        fmt = "rss-json"
    elif isinstance(doc.get("items"), list) or "jsonfeed.org/version" in str(doc.get("version")):
        feed = doc
        site = safe_url(_str(doc, "home_page_url"), feed_url)
        fmt = "json11" if str(doc.get("version", "")).endswith("/1.1") else "json10"
    else:
        raise FeedError("feed: JSON document has no items and no JSON Feed version")
    title = plain_title(_str(feed, "title"))
    base = feed_url or site or safe_url(_str(doc, "feed_url"))
    source = title or host_of(base) or "feed"
    ctx = {"base": base, "source": source, "feed_url": feed_url}
    warnings: list[str] = []
    if fmt == "rss-json":
        listed = feed.get("item") or []
        entries = listed if isinstance(listed, list) else [listed]
        objects = [e for e in entries if isinstance(e, Mapping)]
        items, item_warnings = _items(
            objects[:max_items], lambda e, issues: _rss_json_item(e, ctx, issues), source
        )
    else:
        listed = doc.get("items")
        entries = listed if isinstance(listed, list) else []
        objects = [e for e in entries if isinstance(e, Mapping)]
        if len(objects) < len(entries):
            warnings.append("feed: skipped JSON Feed items that are not objects")
        items, item_warnings = _items(
            objects[:max_items], lambda e, issues: _json_item(e, doc, ctx, issues), source
        )
    total = len(objects)
    if total > max_items:
        warnings.append(f"feed: kept the first {max_items} of {total} items")
    warnings.extend(capped(item_warnings))
    return ParsedFeed(fmt, title, site, tuple(items), tuple(warnings))
