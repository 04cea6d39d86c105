"""One feedparser entry -> one Item, every field re-sanitized (feedparser output is untrusted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsdesk.models import Item
from newsdesk.sources.fields import identifier, language, plain_title, rich_html, when
from newsdesk.sources.links import safe_url

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _link(entry: Mapping[str, Any], base: str | None) -> str | None:
    for candidate in (entry.get("link"),):
        url = safe_url(candidate, base)
        if url:
            return url
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate":
            url = safe_url(link.get("href"), base)
            if url:
                return url
    if entry.get("guidislink"):
        return safe_url(entry.get("id"), base)
    return None


def _content(entry: Mapping[str, Any], base: str | None) -> str | None:
    # Prefer an HTML body among several <content> elements; plain text is escaped, not dropped.
    contents = list(entry.get("content") or ())
    contents.sort(key=lambda c: 0 if (c.get("type") or "text/html") in _HTML_TYPES else 1)
    for content in contents:
        value = rich_html(content.get("value"), base, content.get("type") or "text/html")
        if value:
            return value
    return None


def _summary(entry: Mapping[str, Any], base: str | None) -> str | None:
    detail = entry.get("summary_detail") or {}
    return rich_html(entry.get("summary"), base, detail.get("type") or "text/html")


def _byline(entry: Mapping[str, Any]) -> str | None:
    names: list[str] = []
    for author in entry.get("authors") or ():
        name = author.get("name") or author.get("email")
        if name and name not in names:
            names.append(name)
    if not names:
        detail = entry.get("author_detail") or {}
        name = detail.get("name") or entry.get("author")
        if name:
            names.append(name)
    return plain_title(", ".join(names)) if names else None


def _image(entry: Mapping[str, Any], base: str | None) -> str | None:
    for thumb in entry.get("media_thumbnail") or ():
        url = safe_url(thumb.get("url"), base)
        if url:
            return url
    for media in entry.get("media_content") or ():
        kind = f"{media.get('medium', '')} {media.get('type', '')}"
        if "image" in kind:
            url = safe_url(media.get("url"), base)
            if url:
                return url
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type", "")).startswith("image/"):
            url = safe_url(enclosure.get("href"), base)
            if url:
                return url
    image = entry.get("image")
    if isinstance(image, Mapping):
        return safe_url(image.get("href") or image.get("url"), base)
    return None


def entry_item(
    entry: Mapping[str, Any],
    *,
    source: str,
    base: str | None,
    feed_lang: str | None,
    feed_url: str | None,
) -> Item:
    """The Item for one feedparser entry: safe links, sanitized HTML, sane dates."""
    # A plain dict: FeedParserDict's legacy key aliases warn (updated_parsed -> published_parsed).
    entry = dict(entry)
    url = _link(entry, base)
    content_base = url or base
    summary_lang = (entry.get("summary_detail") or {}).get("language")
    return Item(
        url=url,
        source=source,
        title=plain_title(entry.get("title")),
        html=_content(entry, content_base),
        summary=_summary(entry, content_base),
        published=when(entry.get("published_parsed"), entry.get("published"))
        or when(entry.get("updated_parsed"), entry.get("updated")),
        lang=language(entry.get("language"), summary_lang, feed_lang),
        byline=_byline(entry),
        external_id=identifier(entry.get("id")),
        source_url=feed_url,
        image=_image(entry, content_base),
    )
