"""A stream as Atom, the form Google Reader served at /reader/atom/ and older apps still read.

Read state rides on categories in Google Reader's scheme (label "read" or "fresh", "starred"),
as those apps expect; every text is set as element text (lxml escapes it) and the content is the
same sanitized HTML the JSON gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from lxml import etree

from newsdesk.dates import utcnow
from newsdesk.store.reader_items import ReaderItem
from newsdesk.web.reader_api.items import item_html, long_item_id

ATOM_NS = "http://www.w3.org/2005/Atom"
GR_NS = "http://www.google.com/schemas/reader/atom/"
SCHEME = "http://www.google.com/reader/"
STATE = "user/-/state/com.google/"
MEDIA_TYPE = "application/atom+xml"
_A = f"{{{ATOM_NS}}}"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot carry these


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _A + tag, attrs)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _entry(feed: etree._Element, item: ReaderItem, base: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", long_item_id(item.id))
    _add(entry, "title", item.title, type="text")
    published = item.published or item.created_at
    _add(entry, "published", _stamp(published))
    _add(entry, "updated", _stamp(published))
    _add(
        entry,
        "link",
        rel="alternate",
        href=item.url or f"{base}/article/{item.id}",
        type="text/html",
    )
    author = _add(entry, "author")
    _add(author, "name", item.byline or item.source)
    state = "read" if item.read else "fresh"
    _add(entry, "category", term=f"user/-/state/com.google/{state}", scheme=SCHEME, label=state)
    if item.starred:
        _add(
            entry,
            "category",
            term="user/-/state/com.google/starred",
            scheme=SCHEME,
            label="starred",
        )
    _add(entry, "content", item_html(item.text), type="html")
    source = _add(entry, "source")
    _add(source, "title", item.source)
    _add(source, "link", rel="alternate", href=f"{base}/source/{quote(item.source, safe='')}")


def document(
    stream_id: str, title: str, items: Sequence[ReaderItem], base: str, more: str | None
) -> bytes:
    feed = etree.Element(_A + "feed", nsmap={None: ATOM_NS, "gr": GR_NS})
    _add(feed, "id", f"tag:google.com,2005:reader/{stream_id}")
    _add(feed, "title", title)
    _add(feed, "updated", _stamp(utcnow()))
    _add(feed, "link", rel="alternate", href=base + "/", type="text/html")
    if more is not None:
        etree.SubElement(feed, f"{{{GR_NS}}}continuation").text = more
    for item in items:
        _entry(feed, item, base)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8"))
