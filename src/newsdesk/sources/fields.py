"""Cleaning of single item fields, shared by the RSS/Atom, JSON Feed and JSONL readers."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime

from newsdesk.dates import EARLIEST, sane_datetime
from newsdesk.errors import BadUrlError
from newsdesk.humanize import count
from newsdesk.sanitize import clean_text, one_line, sanitize_html
from newsdesk.sources.links import parse_url, shown_url

_TAGLIKE = re.compile(r"<[A-Za-z/!?]")
_YEAR = re.compile(r"(?<![\d:])(\d{4})(?![\d:])")
_LANG = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")
MAX_ID = 2000
MAX_HTML = 5_000_000  # characters of one field: more is not an article, it is an attack
MAX_ITEM_WARNINGS = 50  # per document: past this, one line counts the rest
# What a fault in one item's data can raise from the parsers' cleaning code: it costs that item,
# never the document. Anything else is a bug and is left to surface.
ITEM_FAULTS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
)


def url_field(raw: object, base: str | None, name: str, issues: list[str]) -> str | None:
    """raw as an absolute http(s) URL, or None; a refused URL adds "name 'url' (why)" to issues."""
    if not isinstance(raw, str):
        return None
    try:
        return parse_url(raw, base)
    except BadUrlError as exc:
        issues.append(f"{name} {shown_url(raw)!r} ({exc.reason})")
        return None


def first_url(
    candidates: list[tuple[object, str]], base: str | None, issues: list[str]
) -> str | None:
    """The first candidate (raw, field name) that is a usable URL; a refusal is reported only
    when no candidate is usable, and then only the first one."""
    refused: list[str] = []
    for raw, name in candidates:
        url = url_field(raw, base, name, refused)
        if url:
            return url
    issues.extend(refused[:1])
    return None


def item_warning(source: str, number: int, title: object, what: str) -> str:
    """One line naming the document, the item (position and title) and what happened to it."""
    name = one_line(title[:300]) if isinstance(title, str) else None
    label = f"item {number}"
    if name:
        label += f" {name[:80]!r}"
    return f"feed {source[:80]!r}: {label}: {what}"


def fault_line(exc: BaseException) -> str:
    """An unexpected fault in an item's data, in a few words."""
    detail = " ".join(str(exc).split())[:120]
    return f"skipped, unreadable data ({exc.__class__.__name__}{': ' + detail if detail else ''})"


def capped(warnings: list[str], limit: int = MAX_ITEM_WARNINGS) -> list[str]:
    """The first `limit` warnings and one line counting the rest."""
    if len(warnings) <= limit:
        return warnings
    return [*warnings[:limit], f"... and {count(len(warnings) - limit, 'more item warning')}"]


def rich_html(
    fragment: str | None, base_url: str | None, content_type: str = "text/html"
) -> str | None:
    """Sanitized HTML for a summary/content value (plain text is escaped first); None if empty."""
    if not fragment:
        return None
    fragment = fragment[:MAX_HTML]
    if content_type == "text/plain":
        fragment = html.escape(fragment).replace("\n", "<br>")
    cleaned = sanitize_html(fragment, base_url=base_url).strip()
    return cleaned or None


def plain_title(value: str | None) -> str | None:
    """A title as one plain line, or None."""
    if not value:
        return None
    line = one_line(value[:MAX_HTML])
    # Escaped markup ("&lt;script&gt;") decodes to tag-like text; a title never needs it.
    for _ in range(3):
        if line is None or not _TAGLIKE.search(line):
            break
        line = one_line(line)
    return line


def identifier(value: object) -> str | None:
    """An entry id/guid as a clean bounded string, or None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(str(value)).strip()
    return text[:MAX_ID] or None


def language(*values: object) -> str | None:
    """The first value that looks like a language tag, lower-cased ("en-us")."""
    for value in values:
        if isinstance(value, str):
            tag = value.strip().replace("_", "-")
            if _LANG.match(tag):
                return tag.lower()
    return None


def when(parsed: time.struct_time | None, raw: object = None) -> datetime | None:
    """A sane aware datetime from feedparser's UTC struct_time, or from the raw string."""
    if isinstance(raw, str):
        year = _YEAR.search(raw)
        # feedparser and dateutil both read year 0000 as 2000: trust the year as written.
        if year and int(year.group(1)) < EARLIEST.year:
            return None
        if year and parsed is not None and int(year.group(1)) != parsed[0]:
            parsed = None
    if parsed is not None:
        try:
            value = datetime(*parsed[:6], tzinfo=UTC)
        except (ValueError, TypeError, OverflowError):
            value = None
        if value is not None:
            return sane_datetime(value)
    if isinstance(raw, str) and raw.strip():
        try:
            return sane_datetime(raw[:200])
        except (ValueError, OverflowError, TypeError):
            return None
    return None
