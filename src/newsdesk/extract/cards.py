"""Related-article cards on a text page: card headers (source, time, "- Source" lines in any
order) and one Item per card after the main article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from newsdesk.extract.chrome import chrome_kind
from newsdesk.extract.lineshape import (
    QUOTES,
    TERMINAL_PUNCT,
    attribution,
    byline,
    source_and_time,
    source_like,
    title_like,
    word_count,
)
from newsdesk.extract.paragraphs import split_glued
from newsdesk.extract.reltime import PROBE, is_relative, time_of
from newsdesk.models import Item


@dataclass(frozen=True, slots=True)
class Header:
    source: str | None
    published: datetime | None
    end: int  # the index of the first line after the header (the card's title)
    relative: bool = False  # published came from "2h ago": it needs the page's capture time


def dated(when: datetime | None, relative: bool, anchored: bool) -> tuple[datetime | None, bool]:
    """(published, approximate): a relative time counts only against a capture time."""
    if when is None or not relative:
        return when, False
    return (when, True) if anchored else (None, False)


def header_at(lines: list[str], i: int, now: datetime, *, strict: bool) -> Header | None:
    """The card header starting at line i: source, time and "- Source" lines in any order.

    Strict (inside an article) needs two signals; lenient (after the article) needs one.
    """
    source: str | None = None
    published: datetime | None = None
    relative = False
    signals = 0
    guessed = -1  # a source-like line taken after the time: it may be the title instead
    j = i
    while j < len(lines) and j < i + 4:
        line = lines[j]
        named = attribution(line)
        when = time_of(line, now) if published is None else None
        pair = source_and_time(line, now) if published is None and source is None else None
        if when is not None:
            published, signals = when, signals + 1
            relative = is_relative(partial(time_of, line), now)
        elif pair is not None:
            source, published = pair[0] if pair[0] and not byline(pair[0]) else None, pair[1]
            signals += 2
            later = source_and_time(line, now + PROBE)
            relative = later is None or later[1] != published
        elif named and (source is None or named.lower() == source.lower()):
            signals += 2 if source else 1
            source = source or named
        elif source is None and source_like(line) and j + 1 < len(lines):
            nxt = lines[j + 1]
            if published is None and (time_of(nxt, now) or attribution(nxt)):
                source = line
            elif published is not None and j + 2 < len(lines) and title_like(nxt):
                source, guessed = line, j
            else:
                break
        else:
            break
        j += 1
    if guessed >= 0 and (j >= len(lines) or not title_like(lines[j])):
        source, j = None, guessed  # the guessed "source" was the title
    if j >= len(lines) or not title_like(lines[j]) or signals == 0:
        return None
    if strict and signals < 2 and not (source and published):
        return None
    return Header(source, published, j, relative)


def title_before(lines: list[str], prev: int, header: Header) -> bool:
    """Whether lines[prev] is the title of a card laid out "Title / CNN / 2h ago / body"."""
    title, first = lines[prev], lines[header.end]
    return (
        title_like(title)
        and title[-1] not in TERMINAL_PUNCT + QUOTES
        and first[-1] in TERMINAL_PUNCT + QUOTES
        and word_count(first) > word_count(title)
    )


def related_cards(
    lines: list[str],
    gaps: set[int],
    i: int,
    now: datetime,
    origin: str | None,
    *,
    anchored: bool = False,
) -> list[Item]:
    """One Item per related-article card in lines[i:]; `now` is the page's capture time when
    anchored, else the time it was read (relative card times are then unknown)."""
    cards: list[Item] = []
    headers: list[tuple[int, Header]] = []
    k = i
    while k < len(lines):
        header = header_at(lines, k, now, strict=False)
        if header is None:
            k += 1
        else:
            headers.append((k, header))
            k = header.end + 1
    # Each card: (first line, title index, first body line, header).
    spans: list[tuple[int, int, int, Header]] = []
    for k, header in headers:
        floor = spans[-1][2] + 1 if spans else i  # the previous card keeps one body line at least
        if k - 1 >= floor and title_before(lines, k - 1, header):
            spans.append((k - 1, k - 1, header.end, header))
        else:
            spans.append((k, header.end, header.end + 1, header))
    for n, (_, title_at, body_at, header) in enumerate(spans):
        stop = spans[n + 1][0] if n + 1 < len(spans) else len(lines)
        body: list[str] = []
        for line in lines[body_at:stop]:
            kind = chrome_kind(line)
            if kind == "terminal":
                break
            if kind is None:
                body.append(line)
        when, approx = dated(header.published, header.relative, anchored)
        cards.append(_card(header.source, lines[title_at], body, when, origin, approx))
    if headers:
        return cards
    # No headers at all: blocks of title + body, split at blank lines and at new titles.
    current: list[str] = []
    blocks: list[list[str]] = []
    for k in range(i, len(lines)):
        line = lines[k]
        new_title = (
            current
            and len(current) >= 2
            and title_like(line)
            and line[-1] not in TERMINAL_PUNCT
            and current[-1][-1] in TERMINAL_PUNCT + QUOTES
        )
        if chrome_kind(line) or k in gaps or new_title:
            blocks.append(current)
            current = []
        if chrome_kind(line) is None:
            current.append(line)
    blocks.append(current)
    for block in blocks:
        if len(block) < 2:
            continue
        source = block[0] if len(block) >= 3 and source_like(block[0]) else None
        title, body = (block[1], block[2:]) if source else (block[0], block[1:])
        if title_like(title) and word_count(title) >= 3 and sum(map(word_count, body)) >= 10:
            cards.append(_card(source, title, body, None, origin, False))
    return cards


def _card(
    source: str | None,
    title: str,
    body: list[str],
    when: datetime | None,
    origin: str | None,
    approx: bool,
) -> Item:
    text = "\n\n".join(split_glued(body)) or None
    return Item(url=None, source=source or "unknown", title=title, text=text, published=when,
                source_url=origin, published_approx=approx)  # fmt: skip
