"""The JSON form of a read model: the dict the API answers and the CLI's --json prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

_PLAIN = frozenset({str, int, float, bool, type(None)})  # returned as they are
# The field names of each type met, in order (None: not a dataclass), read once per type:
# dataclasses.fields() on every value cost most of an API answer's conversion.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def to_json(value: Any) -> Any:
    """Dataclasses as dicts (field order kept), datetimes as ISO 8601, tuples as lists."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    try:
        names = _FIELDS[kind]
    except KeyError:
        names = _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return value
