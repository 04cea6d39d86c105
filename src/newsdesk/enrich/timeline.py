"""Dated events across a story: sentences with a DATE resolvable against their article's date.

Dates are ISO 8601 at the precision the text gives: "2013-05-03", "2013-05" ("in mid-May"),
"2012" ("last year"). A relative date ("on Monday", "yesterday") needs the article's published
date; an absolute one ("June 2, 2013") does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from newsdesk.enrich.member import Member
from newsdesk.enrich.sentences import terms
from newsdesk.models import Cite, TimelineEvent

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*,?\s*{_YEAR})?\b"),  # June 2, 2013 / June 2
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?\b"),  # 2 June 2013
    re.compile(rf"\b(?:early|mid|late|in|of|since)?[\s-]*{_MONTH}(?:\s*,?\s*{_YEAR})?\b"),
    re.compile(rf"^(?:in\s+|the\s+year\s+)?{_YEAR}$"),  # a bare year
    re.compile(rf"\b{_YEAR}-(?P<nmonth>\d\d)-(?P<nday>\d\d)\b"),  # ISO
]
_RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
}
SAME_EVENT = 0.5  # term Jaccard above which two events of one day say the same thing
MAX_EVENTS = 15


def resolve(expression: str, published: date | None) -> str | None:
    """The ISO date a DATE expression names, relative to published; None when it is not a date."""
    text = " ".join(expression.lower().replace("’", "'").split())
    durations = r"\d+-year-old|\bage\b|\bold\b|\byears?\b(?! ago)|\bdays?\b|\bweeks?\b"
    if re.search(durations, text) and not re.fullmatch(r"(last|this|next) (year|week)", text):
        return None
    for word, shift in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", text):
            return (published + timedelta(days=shift)).isoformat() if published else None
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            if published is None:
                return None
            back = (published.weekday() - i) % 7
            if text.startswith("next") or "coming" in text:
                return (published + timedelta(days=(i - published.weekday()) % 7 or 7)).isoformat()
            return (published - timedelta(days=back)).isoformat()
    relative = re.fullmatch(r"(last|this|next) (year|month)", text)
    if relative:
        if published is None:
            return None
        step = {"last": -1, "this": 0, "next": 1}[relative.group(1)]
        if relative.group(2) == "year":
            return str(published.year + step)
        month = published.month + step
        year = published.year + (month - 1) // 12
        return f"{year}-{(month - 1) % 12 + 1:02d}"
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return _absolute(match.groupdict(), published)
    return None


def _absolute(parts: dict[str, str | None], published: date | None) -> str | None:
    # Every group is optional: a pattern that did not take part gives None, never "".
    year_text, month_name = parts.get("year"), parts.get("month")
    year = int(year_text) if year_text else None
    if parts.get("nmonth"):
        month, day = int(parts.get("nmonth") or 0), int(parts.get("nday") or 0)
    else:
        month = MONTHS[month_name] if month_name else 0
        day = int(parts.get("day") or 0)
    if year is None:
        if published is None or not month:
            return None
        # An unyeared month names the latest such month not more than ~2 months ahead.
        year = published.year - (1 if month > published.month + 2 else 0)
    if not month:
        return str(year)
    if not day:
        return f"{year}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def timeline(members: Sequence[Member]) -> tuple[TimelineEvent, ...]:
    """Dated events of the story, oldest first; same-day events saying the same thing merged."""
    events: list[tuple[str, str, list[Cite]]] = []
    for member in members:
        brief = member.brief
        published = member.published.date() if member.published else None
        if published is not None and member.title:
            lead = [Cite(0, member.article_id)] if brief.sentences else []
            events.append((published.isoformat(), member.title, lead))
        dates = [e for e in brief.entities if e.type == "DATE"]
        for index, sentence in enumerate(brief.sentences):
            for entity in dates:
                if entity.text and entity.text in sentence:
                    when = resolve(entity.text, published)
                    if when is not None:
                        events.append((when, sentence, [Cite(index, member.article_id)]))
                        break
    merged = _merge(events)
    if len(merged) > MAX_EVENTS:  # keep the best-supported events
        keep = sorted(range(len(merged)), key=lambda i: (-len(merged[i][2]), i))[:MAX_EVENTS]
        merged = [merged[i] for i in sorted(keep)]
    return tuple(
        TimelineEvent(when=when, text=text, cites=tuple(cites))
        for when, text, cites in sorted(merged, key=lambda e: e[0])
    )


def _merge(events: list[tuple[str, str, list[Cite]]]) -> list[tuple[str, str, list[Cite]]]:
    merged: list[tuple[str, str, list[Cite]]] = []
    bags: list[set[str]] = []
    for when, text, cites in events:
        bag = set(terms(text))
        for (other_when, _, other_cites), other_bag in zip(merged, bags, strict=True):
            union = bag | other_bag
            if when == other_when and union and len(bag & other_bag) / len(union) >= SAME_EVENT:
                other_cites.extend(c for c in cites if c not in other_cites)
                break
        else:
            merged.append((when, text, list(cites)))
            bags.append(bag)
    return merged
