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
_VALUE = re.compile(r"[$€£¥]?\s?\d[\d,.]*\d|[$€£¥]?\s?\d", re.IGNORECASE)
_SCALE = re.compile(
    r"^\s?(?:%|per ?cent\b|percent\b|(?:million|billion|trillion|thousand|hundred|bn|m|k)\b)",
    re.IGNORECASE,
)
_CLOCK_UNIT = re.compile(
    r"^(?:[ap]\.?\s?m\b|o'clock)|\b(?:gmt|utc|bst|cet|[ecmp][sd]t)\b", re.IGNORECASE
)
_RANK = re.compile(r"(?:\bNo\.?|#)\s*$")
_AGO = re.compile(r"^\s*(?:ago|earlier|later|from now)\b", re.IGNORECASE)
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
_GLUED_UNIT = re.compile(r"\d(km|kg|mm|cm|ml|mph|ft|lbs?|gb|mb|tb|ghz|mhz)\b", re.IGNORECASE)
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
        value = _value(ent.text)
        if value is None or _is_date(analysis, ent):
            continue
        unit = _unit(analysis, ent, value)
        unit = unit.strip(" -") if unit else None
        if unit is not None and (_CLOCK_UNIT.search(unit) or value in unit):
            continue  # "9 a.m.", "5 PM PDT": a time; "802.11 b": a name
        if unit is not None and (unit.casefold() in value.casefold() or not unit.strip("$€£¥%")):
            unit = None  # "$5 million", "70%": the value carries its unit once
        what = _context(analysis, ent, value, unit)
        if unit is None and not what and ent.label not in ("MONEY", "PERCENT"):
            continue  # a bare number says nothing; "$180 million" and "5%" say what they are
        key = (figure_value_key(value), singular(unit))
        if key in seen:
            continue
        seen.add(key)
        out.append(Figure(value, unit, what, (Cite(ent.sent),)))
        if len(out) >= MAX_FIGURES:
            break
    return tuple(out)


def _value(text: str) -> str | None:
    """The number as written, with its currency sign and scale: "$2.5 million", "70%", "1,000"."""
    m = _VALUE.search(text)
    if m is None:
        return None
    value = m.group(0).strip().rstrip(".,")
    rest = text[m.end() :]
    scale = _SCALE.match(rest)
    while scale:
        value += scale.group(0) if scale.group(0).strip() == "%" else " " + scale.group(0).strip()
        rest = rest[scale.end() :]
        scale = _SCALE.match(rest)
    return value


def figure_value_key(value: str) -> str:
    """A value's comparison key: "1,000" and "1000", "5 per cent" and "5%" agree."""
    key = re.sub(r"\s*(?:per ?cent|percent)\b", "%", value.casefold())
    return " ".join(key.replace(",", "").split())


def singular(unit: str | None) -> str:
    """A unit's comparison key: case-folded, without a plural "s" ("Days" and "day" agree)."""
    key = " ".join((unit or "").casefold().split())
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


def _is_date(analysis: Analysis, ent: Entity) -> bool:
    """ "8 days ago", "two years later": a time from now, not an amount; "No. 9": a rank."""
    if ent.label in ("DATE", "TIME"):
        after = analysis.text[ent.end : ent.end + 16]
        if _AGO.match(after) or re.search(r"\b(?:ago|later|earlier)\b", ent.text, re.I):
            return True
    before = analysis.text[max(0, ent.start - 5) : ent.start]
    return bool(_RANK.search(before)) or before.endswith("-")  # "No. 9", "3-for-17"


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
        m = _VALUE.search(ent.text)
        tail = ent.text[m.end() :] if m else ""
        return tail.strip(" -") or None
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
        if words:
            return words[-1]
    # "2000ft", "5km": a unit glued to the number, which the tokenizer splits off the entity
    glued = _GLUED_UNIT.search(analysis.text, ent.start, min(len(analysis.text), ent.end + 4))
    return glued.group(1).lower() if glued else None


_FILLER = {"the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "for", "by", "with", "as",
           "is", "are", "was", "were", "be", "been", "that", "this", "it", "its", "than", "some",
           "about", "around", "nearly", "almost", "over", "under", "least", "more", "less", "up",
           "only", "just", "all", "per", "could", "would", "will", "can", "may", "might", "has",
           "have", "had", "he", "she", "they", "we", "i", "you", "his", "her", "their", "already",
           "also", "still", "now", "then", "there", "which", "who", "when", "not", "no", "so",
           "being", "do", "did", "does", "said", "says"}  # fmt: skip
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


def _context(analysis: Analysis, ent: Entity, value: str, unit: str | None) -> str:
    """What the number counts, in the text's words but without repeating value or unit: the
    words after them in the clause ("in damage to the church"), else the words before them
    ("the quake killed"); "" when the clause has nothing else."""
    toks = analysis.tokens
    sent = analysis.sentences[ent.sent]
    end = ent.tok_end
    if unit is not None:  # skip the unit's words right after the number
        want = unit.casefold().split()
        k = 0
        while end < sent.tok_end and k < len(want) and toks[end].text.casefold() == want[k]:
            end, k = end + 1, k + 1
    after = _clause(analysis, range(end, min(sent.tok_end, end + _MAX_WHAT)))
    if _says_something(analysis, after):
        return _text(analysis, after)
    start = max(sent.tok_start, ent.tok_start - _MAX_WHAT)
    before = _clause(analysis, range(ent.tok_start - 1, start - 1, -1))[::-1]
    return _text(analysis, before) if _says_something(analysis, before) else ""


def _clause(analysis: Analysis, order: range) -> list[int]:
    """Tokens in order up to a clause break (punctuation), at most the range."""
    out = []
    for i in order:
        tok = analysis.tokens[i]
        if (tok.pos == "PUNCT" and tok.text not in ("-", "'", "’", "%", "$")) or tok.pos == "CCONJ":
            break  # "killed 26 people and injured 70": the next clause is another fact
        if tok.ent >= 0 and analysis.entities[tok.ent].label in _LABELS | {"DATE", "TIME"}:
            break  # another number: a different figure
        out.append(i)
    return out


def _says_something(analysis: Analysis, ids: list[int]) -> bool:
    words = [analysis.tokens[i].text for i in ids]
    return any(w.isalpha() and w.lower() not in _FILLER for w in words)


def _text(analysis: Analysis, ids: list[int]) -> str:
    toks = analysis.tokens
    while ids and toks[ids[-1]].pos in ("ADP", "CCONJ", "DET", "PART", "SCONJ"):
        ids = ids[:-1]
    while ids and toks[ids[0]].pos in ("CCONJ", "PUNCT"):
        ids = ids[1:]
    if not ids:
        return ""
    first, last = toks[ids[0]], toks[ids[-1]]
    return " ".join(analysis.text[first.idx : last.idx + len(last.text)].split())
