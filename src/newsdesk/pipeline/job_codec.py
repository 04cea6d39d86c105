"""Jobs as JSON text: what travels on the broker and what the failed-items table keeps.

`load_job(dump_job(job)) == job` for every PageJob and ItemJob. Bytes travel as base64, times
as ISO 8601 with their offset. Text that is not a job raises SourceError in one line.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from newsdesk.errors import SourceError
from newsdesk.models import Item
from newsdesk.pipeline.prepare import ItemJob, Job, PageJob

VERSION = 1
_ITEM_FIELDS = {f.name: f for f in fields(Item)}
_ITEM_TIMES = {"published"}
_ITEM_FLAGS = {"published_approx"}


def dump_job(job: Job) -> str:
    """The job as one line of JSON."""
    record: dict[str, Any]
    if isinstance(job, PageJob):
        record = {
            "kind": "page",
            "url": job.url,
            "seen_at": job.seen_at.isoformat(),
            "source": job.source,
            "ref": job.ref,
            "charset": job.charset,
        }
        if isinstance(job.content, bytes):
            record["content_b64"] = base64.b64encode(job.content).decode("ascii")
        else:
            record["content"] = job.content
    else:
        item = {name: getattr(job.item, name) for name in _ITEM_FIELDS}
        item["published"] = job.item.published.isoformat() if job.item.published else None
        record = {
            "kind": "item",
            "item": item,
            "seen_at": job.seen_at.isoformat(),
            "ref": job.ref,
        }
    record["v"] = VERSION
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def load_job(text: str) -> Job:
    """The job dump_job wrote; SourceError when the text is not one."""
    try:
        record = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise SourceError(f"job: not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise SourceError("job: not a JSON object")
    if record.get("v") != VERSION:
        raise SourceError(f"job: unknown version {record.get('v')!r} (this code reads {VERSION})")
    kind = record.get("kind")
    if kind == "page":
        return _page(record)
    if kind == "item":
        return _item(record)
    raise SourceError(f"job: unknown kind {kind!r} (page or item)")


def _page(record: dict[str, Any]) -> PageJob:
    content: bytes | str
    if "content_b64" in record:
        try:
            content = base64.b64decode(_str(record, "content_b64"), validate=True)
        except (binascii.Error, ValueError):
            raise SourceError("job: content_b64 is not base64") from None
    else:
        content = _str(record, "content")
    return PageJob(
        content=content,
        url=_opt_str(record, "url"),
        seen_at=_time(record, "seen_at"),
        source=_opt_str(record, "source"),
        ref=_opt_str(record, "ref"),
        charset=_opt_str(record, "charset"),
    )


def _item(record: dict[str, Any]) -> ItemJob:
    raw = record.get("item")
    if not isinstance(raw, dict):
        raise SourceError("job: item is not a JSON object")
    unknown = sorted(set(raw) - set(_ITEM_FIELDS))
    if unknown:
        raise SourceError(f"job: item has unknown fields {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name in raw:
        if name in _ITEM_TIMES:
            values[name] = _opt_time(raw, name)
        elif name in _ITEM_FLAGS:
            flag = raw[name]
            if not isinstance(flag, bool):
                raise SourceError(f"job: item.{name} is not true or false")
            values[name] = flag
        elif name == "source":
            values[name] = _str(raw, name)
        else:
            values[name] = _opt_str(raw, name)
    if "url" not in values or "source" not in values:
        raise SourceError("job: item needs url and source")
    return ItemJob(Item(**values), seen_at=_time(record, "seen_at"), ref=_opt_str(record, "ref"))


def _str(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise SourceError(f"job: {name} is not a string")
    return value


def _opt_str(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise SourceError(f"job: {name} is not a string or null")
    return value


def _time(record: dict[str, Any], name: str) -> datetime:
    value = _opt_time(record, name)
    if value is None:
        raise SourceError(f"job: {name} is missing")
    return value


def _opt_time(record: dict[str, Any], name: str) -> datetime | None:
    value = _opt_str(record, name)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise SourceError(f"job: {name} is not an ISO 8601 time: {value[:40]!r}") from None
