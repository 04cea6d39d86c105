"""When the article was published: the page's own timestamp (with time and offset) first.

htmldate (run inside trafilatura) is good at finding the right *day* among many candidates
but returns no time; the page's metadata (JSON-LD datePublished, article:published_time, ...)
has the time and offset but is sometimes stale or the first of many versions. So: take the
metadata timestamp that agrees with htmldate's day, else htmldate's day at midnight UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from newsdesk.dates import sane_datetime
from newsdesk.extract.pagemeta import PUBLISHED_KEYS, PageMeta

_HAS_TIME = re.compile(r"\d[T ]\d{1,2}:\d{2}")
_SLACK = timedelta(days=1)  # a UTC timestamp's day differs from the local day by at most one
# Meta names carrying the page's last change, best first.
MODIFIED_KEYS = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
)
# A change within this of publication is a correction of the same news, not worth a line;
# past it the page shows "updated DATE" beside its publication date.
UPDATE_SHOWN_AFTER = timedelta(days=1)


def choose_published(page: PageMeta, htmldate_day: str | None) -> datetime | None:
    """The publication time from the page's metadata and htmldate's day; None when unknown."""
    claims = [v for v in page.ld_values("datePublished") if isinstance(v, str)]
    claims += [v for key in PUBLISHED_KEYS if (v := page.meta.get(key))]
    timed = [when for claim in claims if _HAS_TIME.search(claim) and (when := parse_claim(claim))]
    day = _day(htmldate_day)
    if day is None:
        return _prefer_local(timed) if timed else None
    agreeing = [w for w in timed if abs(w.date() - day) <= _SLACK]
    if agreeing:
        return _prefer_local(agreeing)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_claim(value: str) -> datetime | None:
    """A sane, fixed-offset datetime from a metadata string, or None."""
    text = value.strip()
    try:
        when: datetime | None = datetime.fromisoformat(text)
    except ValueError:
        when = None
    when = sane_datetime(when if when is not None else text)
    if when is None:
        return None
    # dateutil hands back tzlocal() for "Z" on a UTC machine: pin the offset it meant.
    offset = when.utcoffset()
    return when.replace(tzinfo=UTC if not offset else timezone(offset))


def _prefer_local(candidates: list[datetime]) -> datetime:
    # The same instant is often given both in UTC and in the newsroom's offset; the local one
    # carries the calendar day readers saw.
    first = candidates[0]
    for when in candidates:
        if when == first and when.utcoffset():
            return when
    return first


def _day(value: str | None) -> date | None:
    if not value:
        return None
    when = sane_datetime(value)
    return when.date() if when else None


def choose_modified(page: PageMeta, published: datetime | None) -> datetime | None:
    """The page's declared last change when it is well after publication; else None.

    Freshness never comes from it: an explainer of 2012 refreshed in 2026 is still 2012's
    coverage, shown as "updated DATE" (see humanize.dateline).
    """
    if published is None:
        return None
    claims = [v for v in page.ld_values("dateModified") if isinstance(v, str)]
    claims += [v for key in MODIFIED_KEYS if (v := page.meta.get(key))]
    for claim in claims:
        when = parse_claim(claim)
        if when is not None and when - published > UPDATE_SHOWN_AFTER:
            return when
    return None
