"""The JSON form of a models.Brief: its dataclass fields out, the exact nested dataclasses back in.

Decoding follows the dataclasses' own type hints, so a field added to Brief later decodes
without a change here; a key the JSON lacks takes the field's default (older briefs still read)
and a key the dataclass lacks is ignored (a newer brief read by older code).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from newsdesk.errors import StoreError
from newsdesk.models import Brief, Teaser

# The shape of the JSON written by encode_brief; bump it when a field changes meaning.
BRIEF_VERSION = 1

_SCALARS: dict[type, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (int, float),
    bool: (bool,),
}


def encode_brief(brief: Brief) -> str:
    """The brief as compact JSON text (UTF-8 kept as is): what dataclasses.asdict gives, written
    by the JSON encoder itself, each nested dataclass handed over as its fields (asdict's deep
    copy of every value was most of the time a pipeline run spent storing briefs)."""
    return json.dumps(brief, default=_fields, ensure_ascii=False, separators=(",", ":"))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names, in order


def _fields(value: object) -> dict[str, object]:
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"store: a brief cannot hold {cls.__name__}")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return {name: getattr(value, name) for name in names}


def decode_brief(text: str) -> Brief:
    """The Brief that encode_brief wrote; StoreError when the JSON is not a brief."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StoreError(f"store: a stored brief is not JSON ({exc})") from None
    brief = _decoder(Brief)(data, "brief")
    assert isinstance(brief, Brief)
    return brief


def decode_teaser(text: str, lines: int = 2) -> Teaser:
    """The lead and hashtags of a stored brief without building the whole Brief (lists show
    twenty a page): its first summary lines, else its first key points; empty when the brief
    is not available for its language."""
    try:
        data = json.loads(text)
        if not data.get("available", True):
            return Teaser()
        first = data.get("summary") or data.get("key_points") or []
        lead = " ".join(str(line["text"]) for line in first[:lines])
        return Teaser(lead, tuple(str(tag) for tag in data.get("hashtags", ())))
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        raise StoreError(f"store: a stored brief has no readable lead ({exc})") from None


Decoder = Callable[[Any, str], Any]


@cache
def _decoder(tp: Any) -> Decoder:
    """A function reading JSON data of type tp, built once per type from its hints (pages read
    dozens of briefs a request: inspecting the hints on every value cost most of the decode)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _optional(tp)
    if origin is tuple:
        return _sequence(typing.get_args(tp)[0])
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _record(tp)
    if tp in _SCALARS:
        return _scalar(tp)
    raise StoreError(f"store: brief decoder cannot read {tp}")


def _optional(tp: Any) -> Decoder:
    real = [t for t in typing.get_args(tp) if t is not type(None)]
    if len(real) != 1 or type(None) not in typing.get_args(tp):
        raise StoreError(f"store: brief decoder cannot read {tp}")
    inner = _decoder(real[0])

    def read(value: Any, where: str) -> Any:
        return None if value is None else inner(value, where)

    return read


def _sequence(item_type: Any) -> Decoder:
    item = _decoder(item_type)

    def read(value: Any, where: str) -> Any:
        if not isinstance(value, list):
            raise StoreError(f"store: stored brief has no list at {where}")
        return tuple([item(v, f"{where}[{i}]") for i, v in enumerate(value)])

    return read


def _record(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]

    def read(value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise StoreError(f"store: stored brief has {type(value).__name__} at {where}")
        kwargs = {
            name: decode(value[name], f"{where}.{name}") for name, decode in fields if name in value
        }
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise StoreError(f"store: stored brief lacks a field at {where} ({exc})") from None

    return read


def _scalar(tp: type) -> Decoder:
    accepted = _SCALARS[tp]

    def read(value: Any, where: str) -> Any:
        # bool is an int to Python; a JSON true in an int field is a corrupt brief, not 1.
        if not isinstance(value, accepted) or (tp is not bool and isinstance(value, bool)):
            raise StoreError(f"store: stored brief has {value!r} at {where}, not {tp.__name__}")
        # A float field may hold a JSON integer (2 for 2.0): widen it.
        return float(value) if isinstance(value, int) and tp is float else value

    return read
