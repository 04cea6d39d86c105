"""Time phrases on a text page: relative ("31 minutes ago", "2h", "yesterday") and date lines.

A relative phrase means something only against the moment the page was captured: a page that
says when ("Captured: 2025-06-02 14:05 UTC", "Saved on ...", a "Date:" header) anchors it, and
the time is approximate; a page that does not leaves it unknown (never the time it was read in,
which would make "31 minutes ago" keep ageing with every re-ingest).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from newsdesk.dates import parse_datetime, sane_datetime

_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "a few": 3, "few": 3, "several": 3, "a couple of": 2, "couple of": 2}  # fmt: skip
_UNITS = (
    ("mo", timedelta(days=30)),  # before "m": "3mo" is months, "3m" minutes
    ("s", timedelta(seconds=1)),
    ("m", timedelta(minutes=1)),
    ("h", timedelta(hours=1)),
    ("d", timedelta(days=1)),
    ("w", timedelta(weeks=1)),
    ("y", timedelta(days=365)),
)
_UNIT = (
    r"(?P<unit>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w"
    r"|months?|mos?|years?|yrs?|y)"
)
_PREFIX = re.compile(
    r"^(?:(?:last\s+)?(?:published|updated|posted|modified)(?:\s+on)?|added)\s*:?\s*", re.I
)
_RELATIVE = re.compile(
    r"(?:about|around|over|almost|nearly|roughly|some|less than|more than|under)?\s*"
    r"(?:(?P<n>\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a few|few|several|a couple of|couple of)\s*" + _UNIT + r"\.?\s+ago"
    r"|(?P<cn>\d{1,4})\s?(?P<cunit>mo|[smhdwy])(?:\s+ago)?)"
)
_FIXED = {
    "just now": timedelta(0), "now": timedelta(0), "moments ago": timedelta(0),
    "a moment ago": timedelta(0), "seconds ago": timedelta(0), "a few seconds ago": timedelta(0),
    "today": timedelta(0), "yesterday": timedelta(days=1),
    "half an hour ago": timedelta(minutes=30),
    "last week": timedelta(weeks=1), "last month": timedelta(days=30),
    "last year": timedelta(days=365),
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_CLOCK = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?"
_ABSOLUTE = re.compile(
    r"(?:" + _WEEKDAY + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{4}))?"
    r"|" + _WEEKDAY + r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<y2>\d{4}))?"
    r"|(?P<y3>\d{4})-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.](?P<y4>\d{4})"
    r")" + _CLOCK,
    re.I,
)


_CAPTURE = re.compile(
    r"^\W*(?:page\s+)?(?:captured|saved|retrieved|accessed|archived|scraped|fetched|downloaded"
    r"|snapshot(?:\s+taken)?|date)(?:\s+(?:on|at))?\s*[:\-]?\s+(?P<when>.{6,60}?)\W*$",
    re.I,
)
CAPTURE_LINES = 8  # a capture stamp sits among the first or the last few lines of a page
PROBE = timedelta(days=1)


def capture_stamp(line: str, now: datetime) -> datetime | None:
    """The capture time a line such as "Captured: 2 June 2025 14:05 UTC" states, or None.

    Only a full date with its year anchors relative times: "Saved today" anchors nothing.
    """
    match = _CAPTURE.match(line.strip())
    if match is None:
        return None
    text = match["when"]
    if line.strip(" \t*#>-").lower().startswith("date") and not re.search(r"\d:\d\d", text):
        return None  # "Date: May 3, 2025" under a headline is the article's date, not a capture
    absolute = _ABSOLUTE.fullmatch(_PREFIX.sub("", text.strip()).rstrip("."))
    if absolute is not None and any(absolute[g] for g in ("y1", "y2", "y3", "y4")):
        return absolute_time(text, now)
    if re.search(r"\b(?:1[89]|2\d)\d{2}\b", text) and re.search(r"\d:\d\d", text):
        return sane_datetime(parse_datetime(text), now)  # "Mon, 02 Jun 2025 14:05:00 +0000"
    return None


def find_capture(text: str, now: datetime) -> tuple[datetime | None, str]:
    """The page's own capture time and the text without its stamp line; (None, text) if none."""
    rows = text.split("\n")
    filled = [k for k, row in enumerate(rows) if row.strip()]
    for k in filled[:CAPTURE_LINES] + filled[-CAPTURE_LINES:]:
        if len(rows[k]) <= 100 and (when := capture_stamp(rows[k], now)) is not None:
            return when, "\n".join(rows[:k] + rows[k + 1 :])
    return None, text


def is_relative(read: Callable[[datetime], object], now: datetime) -> bool:
    """Whether a reading depends on the moment it is read at ("2h ago" does, "May 3, 2025" not)."""
    return read(now) != read(now + PROBE)


def aware(now: datetime) -> datetime:
    """`now` with a time zone: a naive one is taken as UTC."""
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def resolve_relative_time(phrase: str, now: datetime) -> datetime | None:
    """The moment "31 minutes ago", "yesterday", "2h" ... means at `now`; None when not one."""
    text = " ".join(_PREFIX.sub("", phrase.strip()).lower().split()).rstrip(".")
    now = aware(now)
    if text in _FIXED:
        return now - _FIXED[text]
    match = _RELATIVE.fullmatch(text)
    if match is None:
        return None
    count = match["n"] or match["cn"]
    unit = (match["unit"] or match["cunit"]).removesuffix("s") or "s"
    number = int(count) if count.isdigit() else _COUNTS[count]
    key = "mo" if unit.startswith("mo") else unit[0]
    step = dict(_UNITS)[key]
    try:
        return now - number * step
    except OverflowError:
        return None


def absolute_time(line: str, now: datetime) -> datetime | None:
    """A line that is only a date ("May 3, 2025", "2025-05-03 10:00"), as an aware datetime."""
    text = _PREFIX.sub("", line.strip()).rstrip(".")
    match = _ABSOLUTE.fullmatch(text)
    if match is None:
        return None
    has_year = any(match[g] for g in ("y1", "y2", "y3", "y4"))
    default = now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    value = parse_datetime(text, default=default)
    if value is None:
        return None
    if not has_year and value.replace(tzinfo=UTC) > now + timedelta(days=2):
        value = value.replace(year=value.year - 1)  # "Dec 30" read on Jan 2 is last year's
    return sane_datetime(value, now)


def time_of(line: str, now: datetime) -> datetime | None:
    """The time a short line states, relative or absolute; None for a line that is not a time."""
    if len(line) > 60:
        return None
    return resolve_relative_time(line, now) or absolute_time(line, now)
