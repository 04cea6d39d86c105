"""What both dialects share: feeds grouped by kind, item ids, and an item's safe HTML.

Feeds are a reader's follows (not muted), grouped in one folder per kind ("Sources", "People",
...). An item's HTML is the article's clean text as escaped paragraphs, then sanitized again on
the way out: nothing from a publisher reaches an app as markup.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from newsdesk.sanitize import sanitize_html
from newsdesk.section_names import slug
from newsdesk.store import Repo
from newsdesk.store.follows import Follow
from newsdesk.store.personal_tables import FOLLOW_KINDS
from newsdesk.web.reader_api.common import MAX_NUMBER

FOLDERS = {
    "source": "Sources",
    "person": "People",
    "organization": "Organisations",
    "place": "Places",
    "tag": "Tags",
    "section": "Sections",
    "search": "Searches",
}
LONG_ID_PREFIX = "tag:google.com,2005:reader/item/"
_PARAGRAPHS = re.compile(r"\n\s*\n")
MAX_ITEM_CHARS = 200_000  # one item's text; a longer one is cut (apps are not archives)


def feeds_of(repo: Repo, user_id: int) -> list[Follow]:
    """What a reader follows, as feeds (mutes are not feeds)."""
    return repo.follows_of(user_id, muted=False)


def group_id(kind: str) -> int:
    """A folder's number (Fever groups are numbered from 1)."""
    return FOLLOW_KINDS.index(kind) + 1


def kind_of_folder(label: str) -> str | None:
    for kind, folder in FOLDERS.items():
        if folder.lower() == label.lower():
            return kind
    return None


def long_item_id(item_id: int) -> str:
    return f"{LONG_ID_PREFIX}{item_id:016x}"


def parse_item_id(text: str) -> int | None:
    """An item id in either form apps send: the long tag: form (hex) or decimal (which may be
    the signed 64-bit reading of the same number). None when it is neither, or names no
    article (beyond the store's ids)."""
    text = text.strip()[:64]
    try:
        if text.startswith(LONG_ID_PREFIX):
            value = int(text[len(LONG_ID_PREFIX) :], 16)
        else:
            value = int(text, 10) & 0xFFFF_FFFF_FFFF_FFFF
    except ValueError:
        return None
    return value if 0 < value <= MAX_NUMBER else None


def page_of(feed: Follow) -> str:
    """The page on this site that shows what the feed follows."""
    value = feed.value
    if feed.kind == "source":
        return f"/source/{quote(value, safe='')}"
    if feed.kind == "tag":
        return f"/tag/{quote(value.lstrip('#'), safe='')}"
    if feed.kind == "section":
        return f"/section/{slug(value)}"
    if feed.kind == "search":
        return f"/search?q={quote(value, safe='')}"
    return f"/entity/{quote(value, safe='')}"


def item_html(text: str) -> str:
    """An article's clean text as paragraphs of escaped text, sanitized once more."""
    paragraphs = (p.strip() for p in _PARAGRAPHS.split(text[:MAX_ITEM_CHARS]))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    return sanitize_html(body)
