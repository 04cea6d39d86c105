"""JSON Lines article records -> Items; a bad line is reported and skipped, never fatal."""

from __future__ import annotations

import json
from typing import Any

from newsdesk.models import Item
from newsdesk.sanitize import clean_text
from newsdesk.sources.fields import (
    ITEM_FAULTS,
    fault_line,
    identifier,
    language,
    plain_title,
    url_field,
    when,
)
from newsdesk.sources.jsontext import loads
from newsdesk.sources.links import host_of

MAX_LINE_CHARS = 10_000_000
MAX_RECORDS = 1_000_000


def _record_item(record: dict[str, Any], origin: str, issues: list[str]) -> Item:
    url = url_field(record.get("url"), None, "url", issues)
    title = plain_title(record["title"]) if isinstance(record.get("title"), str) else None
    raw_text = record.get("text")
    text = clean_text(raw_text).strip() or None if isinstance(raw_text, str) else None
    if not title and not text:
        raise ValueError("no title and no text")
    source = record.get("source")
    published = record.get("published")
    return Item(
        url=url,
        source=(plain_title(source) if isinstance(source, str) else None)
        or host_of(url)
        or "local",
        title=title,
        text=text,
        published=when(None, published) if isinstance(published, str) else None,
        lang=language(record.get("lang")),
        external_id=identifier(record.get("id")),
        source_url=origin,
    )


def read_jsonl(data: bytes, *, origin: str) -> tuple[list[Item], list[str]]:
    """Items from JSON Lines records {url, title, text, published, source, lang, id?}; errors."""
    items: list[Item] = []
    errors: list[str] = []
    text = data.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(items) >= MAX_RECORDS:
            errors.append(f"line {number}: over {MAX_RECORDS} records, the rest was skipped")
            break
        if len(line) > MAX_LINE_CHARS:
            errors.append(f"line {number}: over {MAX_LINE_CHARS} characters")
            continue
        try:
            record = loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append(f"line {number}: not JSON ({getattr(exc, 'msg', 'too deep')})")
            continue
        if not isinstance(record, dict):
            errors.append(f"line {number}: not a JSON object")
            continue
        issues: list[str] = []
        try:
            items.append(_record_item(record, origin, issues))
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
        except ITEM_FAULTS as exc:  # a fault in one record costs that record
            errors.append(f"line {number}: {fault_line(exc)}")
        if issues:
            errors.append(f"warning: line {number}: dropped {'; '.join(issues)}")
    return items, errors
