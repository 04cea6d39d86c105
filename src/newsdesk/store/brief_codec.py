"""The JSON form of a models.Brief: dataclasses.asdict out, the exact nested dataclasses back in.

Decoding follows the dataclasses' own type hints, so a field added to Brief later decodes
without a change here; a key the JSON lacks takes the field's default (older briefs still read)
and a key the dataclass lacks is ignored (a newer brief read by older code).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any

from newsdesk.errors import StoreError
from newsdesk.models import Brief

# The shape of the JSON written by encode_brief; bump it when a field changes meaning.
BRIEF_VERSION = 1

_SCALARS: dict[type, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (int, float),
    bool: (bool,),
}


def encode_brief(brief: Brief) -> str:
    """The brief as compact JSON text (UTF-8 kept as is)."""
    return json.dumps(dataclasses.asdict(brief), ensure_ascii=False, separators=(",", ":"))


def decode_brief(text: str) -> Brief:
    """The Brief that encode_brief wrote; StoreError when the JSON is not a brief."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(f"store: a stored brief is not JSON ({exc})") from None
    brief = _build(Brief, data, "brief")
    assert isinstance(brief, Brief)
    return brief


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if value is None and type(None) in options:
            return None
        real = [t for t in options if t is not type(None)]
        if len(real) != 1:
            raise StoreError(f"store: brief decoder cannot read {tp} at {where}")
        return _build(real[0], value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise StoreError(f"store: stored brief has no list at {where}")
        item = typing.get_args(tp)[0]
        return tuple(_build(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, dict):
            raise StoreError(f"store: stored brief has {type(value).__name__} at {where}")
        hints = _hints(tp)
        fields = {
            f.name: _build(hints[f.name], value[f.name], f"{where}.{f.name}")
            for f in dataclasses.fields(tp)
            if f.name in value
        }
        try:
            return tp(**fields)
        except TypeError as exc:
            raise StoreError(f"store: stored brief lacks a field at {where} ({exc})") from None
    accepted = _SCALARS.get(tp)
    if accepted is None:
        raise StoreError(f"store: brief decoder cannot read {tp} at {where}")
    # bool is an int to Python; a JSON true in an int field is a corrupt brief, not 1.
    if not isinstance(value, accepted) or (tp is not bool and isinstance(value, bool)):
        raise StoreError(f"store: stored brief has {value!r} at {where}, not {tp.__name__}")
    return float(value) if tp is float else value
