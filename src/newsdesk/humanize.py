"""Times and counts as readers say them: "31 minutes ago", "an hour ago", "undated", "1 article",
"3 stories".

Only a publication time is ever shown as one: when an article has none it is "undated", never
the time it was stored. A time resolved from "31 minutes ago" on a captured page reads "about
...", and a page changed well after publication adds "updated DATE".
"""

from __future__ import annotations

from datetime import datetime

_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (7 * 86400, "week"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


def time_ago(when: datetime | None, now: datetime) -> str:
    """A humanized distance from now; "undated" when there is no time."""
    if when is None:
        return "undated"
    seconds = (now - when).total_seconds()
    if seconds < 0:
        return "just now" if seconds > -300 else when.date().isoformat()
    if seconds < 60:
        return "just now"
    for size, unit in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            if count == 1:
                article = "an" if unit == "hour" else "a"
                return f"{article} {unit} ago"
            return f"{count} {unit}s ago"
    return "just now"


def dateline(
    published: datetime | None,
    now: datetime,
    *,
    approx: bool = False,
    modified: datetime | None = None,
) -> str:
    """ "3 hours ago", "about 3 hours ago", "14 years ago · updated 2026-03-02", "undated"."""
    if published is None:
        return "undated"
    said = time_ago(published, now)
    if approx and said.endswith(" ago"):
        said = "about " + said
    if modified is not None and modified > published:
        said += f" · updated {modified.date().isoformat()}"
    return said


# Nouns whose plural is not noun + "s"; every count shown to a reader goes through count().
_PLURALS = {"story": "stories", "query": "queries", "entry": "entries", "category": "categories"}


def plural(n: int, noun: str) -> str:
    """The noun as it goes with n: "article" for 1, "articles" for 0 and 2; "story", "stories"."""
    if n == 1:
        return noun
    return _PLURALS.get(noun, noun + "s")


def count(n: int, noun: str) -> str:
    """ "1 article", "0 articles", "3 stories", "1204 sources"."""
    return f"{n} {plural(n, noun)}"
