"""The JSON form of a models.Brief: its dataclass fields out, the exact nested dataclasses back in.

Decoding follows the dataclasses' own type hints, so a field added to Brief later decodes
without a change here; a key the JSON lacks takes the field's default (older briefs still read)
and a key the dataclass lacks is ignored (a newer brief read by older code).
"""

from __future__ import annotations

import dataclasses
import json

import msgspec

from newsdesk.errors import StoreError
from newsdesk.models import Brief, Teaser

# The shape of the JSON written by encode_brief; bump it when a field changes meaning.
BRIEF_VERSION = 1
# Strict: a JSON true in an int field is a corrupt brief, not 1 (an int in a float field is
# widened, 2 for 2.0).
_BRIEF = msgspec.json.Decoder(Brief)


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


def decode_brief(text: str | bytes) -> Brief:
    """The Brief that encode_brief wrote; StoreError when the JSON is not a brief.

    msgspec reads the JSON straight into the nested dataclasses by their type hints (a page
    reads a brief per article and dozens of teasers: building them in Python cost more than
    the query), so a field added to Brief later decodes without a change here."""
    try:
        return _BRIEF.decode(text)
    except msgspec.DecodeError as exc:  # ValidationError included: a value of the wrong type
        raise StoreError(f"store: a stored brief is not a brief ({exc})") from None


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
