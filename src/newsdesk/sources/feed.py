"""Feed bytes -> ParsedFeed: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import feedparser

from newsdesk.errors import FeedError
from newsdesk.models import Item, ParsedFeed
from newsdesk.sources.entry import entry_item
from newsdesk.sources.fields import (
    ITEM_FAULTS,
    capped,
    fault_line,
    item_warning,
    language,
    plain_title,
    url_field,
)
from newsdesk.sources.guard import harden_xml
from newsdesk.sources.jsonfeed import parse_json_feed
from newsdesk.sources.links import host_of, safe_url

MAX_ITEMS = 10_000
MAX_FEED_BYTES = 50 * 1024 * 1024
_RSS09 = {"rss090", "rss091n", "rss091u", "rss092", "rss093", "rss094"}


def _format(version: str) -> str:
    if version in _RSS09:
        return "rss09x"
    return version or "unknown"


def _looks_like_json(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"{", b"["))


def _headers(headers: Mapping[str, str] | None, url: str | None) -> dict[str, str]:
    out = {k.lower(): v for k, v in (headers or {}).items() if v}
    # Without a Content-Type feedparser flags every feed as bozo; application/xml makes it
    # trust the XML declaration and BOM for the charset, as RFC 7303 says.
    out.setdefault("content-type", "application/xml")
    # feedparser resolves relative links against Content-Location: give it the feed's own URL.
    if url and "content-location" not in out:
        out["content-location"] = url
    return out


_CODEC_ERRORS = (UnicodeDecodeError, UnicodeEncodeError, UnicodeTranslateError)


def _run_feedparser(data: bytes, headers: dict[str, str]) -> Any:
    try:
        # Bytes only, never a URL or a path: feedparser must not fetch or open anything itself.
        return feedparser.parse(
            data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except UnicodeError as exc:
        # Only the codec subclasses carry .reason; a plain UnicodeError (raised by some codecs
        # and by feedparser itself) has just its message.
        why = exc.reason if isinstance(exc, _CODEC_ERRORS) else str(exc) or "unknown codec fault"
        raise FeedError(f"feed: unreadable characters in the document ({why})") from exc
    except ITEM_FAULTS as exc:
        # feedparser's own handlers trip on some odd documents (a KeyError on 'links' when a
        # <link> closes where none opened): the document is lost, in one line, not the run.
        raise FeedError(
            f"feed: the parser failed on this document ({exc.__class__.__name__})"
        ) from exc


def _bozo_line(result: Any) -> str:
    exc = result.get("bozo_exception")
    reason = " ".join(str(exc).split())[:200] if exc else "unknown problem"
    return f"feed: malformed document, kept what could be read ({reason})"


def parse_feed(
    data: bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    max_items: int = MAX_ITEMS,
) -> ParsedFeed:
    """The feed in data as a ParsedFeed; FeedError when it is not a feed or is refused."""
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"feed: document of {len(data)} bytes is over {MAX_FEED_BYTES}")
    if not data.strip():
        raise FeedError("feed: empty document")
    if _looks_like_json(data):
        return parse_json_feed(data, url, max_items)
    result = _run_feedparser(harden_xml(data), _headers(headers, url))
    feed = dict(result.get("feed") or {})
    entries = result.get("entries") or []
    version = result.get("version") or ""
    if not version and not entries:
        why = _bozo_line(result) if result.get("bozo") else "no RSS, Atom or JSON Feed structure"
        raise FeedError(f"feed: not a feed: {why.removeprefix('feed: ')}")
    warnings: list[str] = []
    if result.get("bozo"):
        warnings.append(_bozo_line(result))
    feed_url = safe_url(url)
    base = feed_url
    site_issues: list[str] = []
    site = url_field(feed.get("link"), base, "site link", site_issues)
    title = plain_title(feed.get("title"))
    source = title or host_of(feed_url) or host_of(site) or "feed"
    warnings.extend(f"feed {source[:80]!r}: dropped {issue}" for issue in site_issues)
    feed_lang = language(feed.get("language"), (feed.get("title_detail") or {}).get("language"))
    if len(entries) > max_items:
        warnings.append(f"feed: kept the first {max_items} of {len(entries)} items")
    items: list[Item] = []
    item_warnings: list[str] = []
    for number, entry in enumerate(entries[:max_items], start=1):
        issues: list[str] = []
        try:
            item = entry_item(
                entry,
                source=source,
                base=base,
                feed_lang=feed_lang,
                feed_url=feed_url,
                issues=issues,
            )
        except ITEM_FAULTS as exc:  # one item's fault costs that item, never the feed
            item_warnings.append(item_warning(source, number, _title(entry), fault_line(exc)))
            continue
        items.append(item)
        if issues:
            line = "dropped " + "; ".join(issues)
            item_warnings.append(item_warning(source, number, item.title, line))
    warnings.extend(capped(item_warnings))
    return ParsedFeed(_format(version), title, site, tuple(items), tuple(warnings))


def _title(entry: object) -> object:
    return entry.get("title") if isinstance(entry, Mapping) else None
