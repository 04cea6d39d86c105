"""The dateline that opens a wire story: "LA CROSSE, Wis. (AP) —", "KYIV, Ukraine (Reuters) -".

A dateline names one place, written in capitals, with a state or country after it, an agency
in parentheses and a dash; the model reads its capitals as fragments ("LA" a place, "CROSSE" an
organisation). Here it is read as what it is: one place, in the gazetteer's spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.enrich import places

_CAPS_WORD = r"[A-Z][A-Z.'’-]*[A-Z.]"
_WORD = r"[A-Z][\w.'’-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d"
_DATELINE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,3}}|{_WORD}(?:[ \t]+{_WORD}){{0,2}})"
    rf"(?:,[ \t]*(?!{_MONTH})(?P<region>{_WORD}(?:[ \t]+{_WORD}){{0,2}}))?"
    r"(?:,?[ \t]*(?P<date>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{4}-\d\d-\d\d))?"
    r"[ \t]*(?:\((?P<agency>[A-Za-z][\w .&-]{0,24})\))?"
    r"[ \t]*(?P<dash>—|–|--|-|:)?",
)
_LOOK = 400  # a dateline opens the text or one of its first lines


@dataclass(frozen=True, slots=True)
class Dateline:
    name: str  # "La Crosse"
    start: int  # the place and its region: "LA CROSSE, Wis."
    end: int
    through: int  # end of the whole dateline, agency and dash included


def dateline(text: str) -> Dateline | None:
    """The dateline at the start of text (or of one of its first lines), else None."""
    for line in re.finditer(r"(?m)^[ \t]*(?=\S)", text[:_LOOK]):
        found = _parse(text, line.end())
        if found is not None:
            return found
    return None


def _parse(text: str, at: int) -> Dateline | None:
    m = _DATELINE.match(text, at)
    if m is None:
        return None
    place, region = m.group("place"), m.group("region")
    rest = text[m.end() : m.end() + 1]
    if not (m.group("dash") or m.group("agency") or (m.group("date") and rest in ("", "\n"))):
        return None
    capitals = place.isupper() and len(place.replace(".", "")) > 1
    if region and not (places.state(region) or places.lookup(region)):
        region = None  # "PARIS, Texas" is kept; "Smith, who" is no dateline
    known = places.lookup(place)
    if not (capitals or (m.group("agency") and known)):
        return None  # "Apple (AAPL) said": title case needs a known place and an agency
    if not (known or region or m.group("agency") or m.group("date")):
        return None
    if m.group("region") and region is None:
        return None
    end = m.end("region") if region else m.end("place")
    return Dateline(places.proper_case(place), m.start("place"), end, m.end())
