"""One feedparser entry -> one Item, every field re-sanitized (feedparser output is untrusted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsdesk.models import Item
from newsdesk.sources.fields import (
    first_url,
    identifier,
    language,
    plain_title,
    rich_html,
    when,
)
from newsdesk.sources.links import safe_url

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _link(entry: Mapping[str, Any], base: str | None, issues: list[str]) -> str | None:
    candidates: list[tuple[object, str]] = [(entry.get("link"), "link")]
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate":
            candidates.append((link.get("href"), "link"))
    refused: list[str] = []
    url = first_url(candidates, base, refused)
    if url is None and entry.get("guidislink"):
        # A guid is an id first ("tag:...", "urn:..."): one that is not a URL is not a fault.
        url = safe_url(entry.get("id"), base)
    if url is None:
        issues.extend(refused)
    return url


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


def _image(entry: Mapping[str, Any], base: str | None, issues: list[str]) -> str | None:
    candidates: list[tuple[object, str]] = []
    for thumb in entry.get("media_thumbnail") or ():
        candidates.append((thumb.get("url"), "thumbnail"))
    for media in entry.get("media_content") or ():
        kind = f"{media.get('medium', '')} {media.get('type', '')}"
        if "image" in kind:
            candidates.append((media.get("url"), "media"))
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type", "")).startswith("image/"):
            candidates.append((enclosure.get("href"), "enclosure"))
    image = entry.get("image")
    if isinstance(image, Mapping):
        candidates.append((image.get("href") or image.get("url"), "image"))
    return first_url(candidates, base, issues)


def entry_item(
    entry: Mapping[str, Any],
    *,
    source: str,
    base: str | None,
    feed_lang: str | None,
    feed_url: str | None,
    issues: list[str],
) -> Item:
    """The Item for one feedparser entry: safe links, sanitized HTML, sane dates.

    A refused URL costs only its field: the reason is added to issues for the caller's warning.
    """
    # A plain dict: FeedParserDict's legacy key aliases warn (updated_parsed -> published_parsed).
    # "enclosures" is computed from the links on access, so it is read before the copy.
    enclosures = list(entry.get("enclosures") or ())
    entry = dict(entry)
    entry["enclosures"] = enclosures
    url = _link(entry, base, issues)
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
        image=_image(entry, content_base, issues),
    )
