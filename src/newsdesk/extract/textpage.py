"""Plain-text aggregator pages: the main article first, then one Item per related-article card.

A page scraped as text has no markup to tell content from page chrome, so each line is judged by
its shape: a chrome label (a whole short line such as "Comments" or "Related Articles"), a card
header (source name, relative or absolute time, "- Source"), a title, or a paragraph. The parts
live beside this module: reltime (time phrases), chrome (the chrome vocabulary), lineshape (one
line's shape), paragraphs (lines and sentences), cards (related-article cards).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import partial

from newsdesk.errors import ExtractionError
from newsdesk.extract.cards import dated, header_at, related_cards, title_before
from newsdesk.extract.chrome import chrome_kind, subheading_after_all
from newsdesk.extract.lineshape import byline, source_and_time, source_like, title_like, word_count
from newsdesk.extract.paragraphs import first_sentence, split_glued, split_lines
from newsdesk.extract.reltime import (
    PROBE,
    aware,
    find_capture,
    is_relative,
    resolve_relative_time,
    time_of,
)
from newsdesk.models import Item

__all__ = ["looks_like_text_page", "parse_text_page", "resolve_relative_time"]


def _is_markup(text: str) -> bool:
    """HTML, XML or JSON rather than plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    if head.startswith("<"):
        return True
    if head[:1] in "{[":
        try:
            json.loads(text)
        except RecursionError:
            return True  # JSON nested past the stack is still JSON
        except ValueError:
            pass
        else:
            return True
    return len(re.findall(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?>|<!--|<!doctype", head, re.I)) >= 3


def looks_like_text_page(text: str) -> bool:
    """True for plain text (not HTML, XML or JSON) with a title line and a paragraph."""
    if not text.strip() or _is_markup(text):
        return False
    lines, _ = split_lines(text[:20000])
    return len(lines) >= 2 and len(lines[0]) <= 300 and any(word_count(r) >= 8 for r in lines[1:])


def _article_meta(
    lines: list[str], i: int, now: datetime
) -> tuple[str | None, str | None, datetime | None, bool, int]:
    """Source, byline and time lines right after the title: ("Reuters", "Jane Roe", t,
    whether t is relative, next)."""
    source = author = None
    published: datetime | None = None
    relative = False
    for _ in range(3):
        if i >= len(lines):
            break
        line = lines[i]
        pair = source_and_time(line, now)
        if published is None and (when := time_of(line, now)) is not None:
            published = when
            relative = is_relative(partial(time_of, line), now)
        elif published is None and pair is not None:
            name, published = pair
            later = source_and_time(line, now + PROBE)
            relative = later is None or later[1] != published
            if name and byline(name):
                author = byline(name)
            else:
                source = name
        elif author is None and byline(line):
            author = byline(line)
        elif source_like(line) and i + 1 < len(lines) and time_of(lines[i + 1], now):
            source = line
        else:
            break
        i += 1
    return source, author, published, relative, i


def parse_text_page(
    text: str, *, now: datetime, origin: str | None = None, source: str | None = None
) -> list[Item]:
    """The main article of a plain-text page, then one Item per related-article card.

    Relative times ("31 minutes ago") are read against the page's own capture stamp and marked
    approximate; without a stamp they are unknown. `now` (when the page was read) only bounds
    absolute dates.
    """
    if not text or not text.strip():
        raise ExtractionError("textpage: the text is empty")
    if _is_markup(text):
        raise ExtractionError("textpage: the text is markup or JSON, not a plain-text page")
    now = aware(now)
    captured, text = find_capture(text, now)
    anchored = captured is not None
    now = captured or now
    lines, gaps = split_lines(text)
    i = 0
    while i < len(lines) and chrome_kind(lines[i]):
        i += 1  # navigation before the headline
    lead = header_at(lines, i, now, strict=True) if i < len(lines) else None
    page_source, published = (lead.source, lead.published) if lead else (None, None)
    relative = lead.relative if lead else False
    i = lead.end if lead else i
    if i >= len(lines):
        raise ExtractionError("textpage: no article in the text (nothing but page chrome)")
    title = lines[i]
    paragraphs: list[str] = []
    if not title_like(title):  # no headline line: the first sentence stands in for one
        paragraphs.append(title)
        title = first_sentence(title)[:200]
    meta_source, author, meta_time, meta_relative, i = _article_meta(lines, i + 1, now)
    if published is None:
        published, relative = meta_time, meta_relative
    published, approx = dated(published, relative, anchored)
    while i < len(lines):
        kind = chrome_kind(lines[i])
        if kind == "terminal" and subheading_after_all(lines, i):
            kind = None
        if kind == "terminal" and paragraphs:
            break
        if kind is None:
            card = header_at(lines, i, now, strict=True) if paragraphs else None
            if card is not None:  # a related-article card right after the article, no label
                if len(paragraphs) > 1 and title_before(lines, i - 1, card):
                    paragraphs.pop()
                    i -= 1
                break
            paragraphs.append(lines[i])
        i += 1
    if not paragraphs or max(map(word_count, paragraphs)) < 5:
        raise ExtractionError("textpage: no article in the text (a title but no paragraph)")
    main = Item(
        url=None,
        source=source or page_source or meta_source or "unknown",
        title=title,
        text="\n\n".join(split_glued(paragraphs)),
        published=published,
        byline=author,
        source_url=origin,
        published_approx=approx,
    )
    return [main, *related_cards(lines, gaps, i, now, origin, anchored=anchored)]
