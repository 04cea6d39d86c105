"""Key figures: numbers with the noun they count and a short phrase around them.

Not figures: ages ("38-year-old", "aged 77", "Smith, 38,"), clock times, day-of-month numbers,
scores and records ("58-3"), numbers glued into names ("76ers"), years and ordinals.
"""

from __future__ import annotations

import re

from newsdesk.enrich.analysis import Analysis, Entity
from newsdesk.models import Cite, Figure

_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
_DURATION = re.compile(
    r"\d[\d,.]*\s*(?:-\s*)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d(?:s)?$")
_VALUE = re.compile(r"[$€£¥]?\s?\d[\d,.]*(?:\s?(?:%|per ?cent|percent))?(?:\s(?:million|billion|"
                    r"trillion|thousand|hundred|bn|m|k))?", re.IGNORECASE)  # fmt: skip
_AGE_AFTER = re.compile(r"^[\s-]*(?:years?|yrs?)[\s-]*old(?:er)?\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age of|ages of|ages|age)\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(?::\s?\d\d|[ap]\.?\s?m\b\.?|o'clock)", re.IGNORECASE)
_SCORE = re.compile(r"^\s?[-–]\s?\d")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec"}  # fmt: skip
_NUMBER_TOKEN = re.compile(
    r"[$€£¥]?\d[\d,.]*(?:%|k|m|bn|km|kg|mm|cm|ml|mph|ft|lb|lbs|gb|mb|tb|ghz|mhz|s)?", re.IGNORECASE
)
_NOUN_POS = {"NOUN", "PROPN"}
MAX_FIGURES = 12
_MAX_WHAT = 12  # tokens


def figures(analysis: Analysis, short: set[int]) -> tuple[Figure, ...]:
    """Numbers that count something, in text order; years, ordinals and fragments are skipped."""
    out: list[Figure] = []
    seen: set[tuple[str, str | None]] = set()
    for ent in analysis.entities:
        if ent.sent < 0 or ent.sent in short or not _countable(ent) or _not_a_figure(analysis, ent):
            continue
        m = _VALUE.search(ent.text)
        if m is None:
            continue
        value = m.group(0).strip()
        unit = _unit(analysis, ent, value)
        key = (value, unit)
        if key in seen:
            continue
        seen.add(key)
        out.append(Figure(value, unit, _what(analysis, ent), (Cite(ent.sent),)))
        if len(out) >= MAX_FIGURES:
            break
    return tuple(out)


def _countable(ent: Entity) -> bool:
    if not any(c.isdigit() for c in ent.text):
        return False
    if ent.label in ("DATE", "TIME"):
        return bool(_DURATION.search(ent.text))
    if ent.label not in _LABELS:
        return False
    return not _YEAR.match(ent.text.strip())


def _not_a_figure(analysis: Analysis, ent: Entity) -> bool:
    """An age, a clock time, a day of the month, a score or record, or a number inside a name."""
    text, toks = analysis.text, analysis.tokens
    after = text[ent.end : ent.end + 16]
    before = text[max(0, ent.start - 12) : ent.start]
    if _AGE_AFTER.match(after) or re.search(r"\d\s*-?\s*years?[\s-]*old", ent.text, re.I):
        return True
    if _AGE_BEFORE.search(before) or _CLOCK.match(after) or _CLOCK.search(ent.text):
        return True
    if ent.label != "MONEY" and (_SCORE.match(after) or re.search(r"\d\s?[-–]\s?\d", ent.text)):
        return True
    near = [toks[i].text.lower().rstrip(".") for i in (ent.tok_start - 1, ent.tok_end)
            if 0 <= i < len(toks)]  # fmt: skip
    if ent.label == "CARDINAL" and any(w in _MONTHS for w in near):
        return True
    if ent.label == "CARDINAL" and _between_commas_after_name(analysis, ent):
        return True
    digits = [t.text for t in toks[ent.tok_start : ent.tok_end] if any(c.isdigit() for c in t.text)]
    return any(not _NUMBER_TOKEN.fullmatch(t) for t in digits)


def _between_commas_after_name(analysis: Analysis, ent: Entity) -> bool:
    """ "Smith, 38, said": a bare number set off by commas right after a person's name."""
    toks = analysis.tokens
    lo, hi = ent.tok_start, ent.tok_end
    if ent.tok_end - ent.tok_start != 1 or lo < 2 or hi >= len(toks):
        return False
    name = toks[lo - 2]
    return (
        toks[lo - 1].text == ","
        and toks[hi].text == ","
        and name.ent >= 0
        and analysis.entities[name.ent].label == "PERSON"
    )


def _unit(analysis: Analysis, ent: Entity, value: str) -> str | None:
    """The counted noun: a duration unit, a percent or currency sign, or the head noun."""
    if ent.label in ("DATE", "TIME"):
        return ent.text[ent.text.find(value) + len(value) :].strip(" -") or None
    if ent.label == "PERCENT":
        return "%"
    if ent.label == "MONEY":
        sym = next((c for c in ent.text if c in "$€£¥"), None)
        words = [w for w in ent.text.split() if w.isalpha() and w.lower() not in _QUALIFIERS]
        return sym or (words[-1] if words else None)
    toks = analysis.tokens
    inside = range(ent.tok_start, ent.tok_end)
    for i in inside:
        h = toks[i].head
        if h not in inside and toks[h].pos in _NOUN_POS and h > i:
            return _noun_phrase(analysis, h)
    if ent.label == "QUANTITY":
        words = [w for w in ent.text.split() if w.isalpha() and w.lower() not in _QUALIFIERS]
        return words[-1] if words else None
    return None


_QUALIFIERS = {"about", "around", "nearly", "almost", "over", "under", "least", "at", "more",
               "than", "less", "some", "roughly", "approximately", "up", "to", "million",
               "billion", "trillion", "thousand", "hundred"}  # fmt: skip


def _noun_phrase(analysis: Analysis, head: int) -> str:
    """The head noun with its compounds and a following "of" phrase ("prisoners of war")."""
    toks = analysis.tokens
    start = head
    while start - 1 >= 0 and toks[start - 1].head == head and toks[start - 1].dep == "compound":
        start -= 1
    end = head + 1
    if end + 1 < len(toks) and toks[end].text == "of" and toks[end].head == head:
        obj = end + 1
        if toks[obj].pos in _NOUN_POS and toks[obj].head == end:
            end = obj + 1
    return " ".join(t.text for t in toks[start:end])


def _what(analysis: Analysis, ent: Entity) -> str:
    """A short phrase around the number: the counted noun's phrase, at most a dozen words."""
    toks = analysis.tokens
    sent = analysis.sentences[ent.sent]
    head = ent.tok_end - 1
    h = toks[head].head
    if toks[h].pos in _NOUN_POS and h >= ent.tok_end:
        head = h
    lo = ent.tok_start
    hi = head + 1
    while hi < sent.tok_end and hi - lo < _MAX_WHAT and _below(analysis, hi, head):
        hi += 1
    while hi - 1 > lo and toks[hi - 1].pos in ("PUNCT", "ADP", "CCONJ", "DET"):
        hi -= 1
    return " ".join(analysis.text[toks[lo].idx : toks[hi - 1].idx + len(toks[hi - 1].text)].split())


def _below(analysis: Analysis, tok: int, root: int) -> bool:
    toks = analysis.tokens
    for _ in range(20):
        if tok == root:
            return True
        if toks[tok].head == tok:
            return False
        tok = toks[tok].head
    return False
