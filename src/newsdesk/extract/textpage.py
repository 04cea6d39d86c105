"""Plain-text aggregator pages: the main article first, then one Item per related-article card.

A page scraped as text has no markup to tell content from page chrome, so each line is judged by
its shape: a chrome label (a whole short line such as "Comments" or "Related Articles"), a card
header (source name, relative or absolute time, "- Source"), a title, or a paragraph.
About 570 lines, over the usual size: this work was limited to one file; the natural split is
the time parsing (resolve_relative_time, absolute dates) and the chrome vocabulary into modules
of their own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.dates import parse_datetime, sane_datetime
from newsdesk.errors import ExtractionError
from newsdesk.models import Item
from newsdesk.sanitize import clean_text

# ---- relative and absolute times -------------------------------------------------------------

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


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def resolve_relative_time(phrase: str, now: datetime) -> datetime | None:
    """The moment "31 minutes ago", "yesterday", "2h" ... means at `now`; None when not one."""
    text = " ".join(_PREFIX.sub("", phrase.strip()).lower().split()).rstrip(".")
    now = _aware(now)
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


def _absolute_time(line: str, now: datetime) -> datetime | None:
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


def _time_of(line: str, now: datetime) -> datetime | None:
    if len(line) > 60:
        return None
    return resolve_relative_time(line, now) or _absolute_time(line, now)


# ---- line shapes -------------------------------------------------------------------------------

_TERMINAL = re.compile(
    r"hash ?tags?|tags?|topics?|tagged(?: with)?|filed under|categor(?:y|ies)|keywords"
    r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|no comments(?: yet)?|be the first to comment"
    r"|(?:leave|post|add|write) a (?:comment|reply)|(?:show|view|load) comments|discussion"
    r"|join the (?:conversation|discussion)"
    r"|related(?: articles?| stories| news| posts| content| coverage| links| reading| topics)?"
    r"|more (?:from|on|in|about) .{1,40}|more (?:stories|news|articles|headlines)"
    r"|(?:you|we think you) (?:may|might|will|could) (?:also )?(?:like|enjoy)(?: this)?"
    r"|also read|read (?:also|next)|up next|what to read next|in other news|don'?t miss"
    r"|recommended(?: for you| articles| stories| reading)?|editor'?s'? picks?"
    r"|trending(?: now| news| stories| topics)?|most (?:read|popular|viewed|shared)"
    r"|popular(?: now| stories| news)?|latest(?: news| stories| articles| headlines)?"
    r"|top (?:stories|news|headlines)|other (?:stories|news|articles)|around the web"
    r"|explore what .{1,40} can do(?: for you)?|try (?:our|the) .{0,30}features?"
    r"|(?:ai|smart) (?:features|summary|tools)"
    r"|(?:sponsored|promoted|partner) (?:stories|content|links)"
    r"|load more|show more|see (?:more|all)|view all",
)
_INLINE = re.compile(
    r"advertisement|ads?|sponsored|promoted|story continues below(?: advertisement)?"
    r"|continue reading(?: below)?|read more(?: here| below)?|read (?:the )?full (?:story|article)"
    r"|share(?: this(?: article| story)?| article| story| on \w+| via \w+)?|tweet|print|e-?mail"
    r"|copy link|copied|save|saved|bookmark|follow(?: us)?|like|reply|report|facebook|twitter|x"
    r"|linkedin|whatsapp|telegram|reddit|pinterest|newsletter|menu|home|search|close"
    r"|(?:sign up|subscribe|register|sign in|log in|login)\b.{0,40}"
    r"|(?:get|receive) (?:our|the) .{1,40} newsletter"
    r"|listen(?: to this (?:article|story))?(?: \d+ min)?|\d+\s*min(?:ute)?s? (?:read|listen)"
    r"|skip to (?:main )?content|back to top|image|photo|video|watch|gallery"
    r"|(?:images?|photos?|videos?|credits?|source|file photo)\s*:.{0,80}|(?:©|copyright).{0,80}"
    r"|all rights reserved.{0,60}|privacy policy|terms (?:of use|of service|and conditions)"
    r"|cookies?(?: settings| policy)?|accept(?: all)?(?: cookies)?|#\S+(?:\s+#\S+)*"
)
_TEASER = re.compile(r"(?:related|read more|also read|read also|see also|watch)\s*:\s.{1,200}")
_TERMINAL_PUNCT = ".!?…:;,"
_QUOTES = "\"'”’»)]"


def _chrome(line: str) -> str | None:
    """The chrome kind of a line: "terminal" ends the article, "inline" is dropped; else None."""
    label = re.sub(r"\s*\(\d+\)$", "", line.strip().lower()).rstrip(" :.…!>»›→")
    if len(label.split()) <= 8:
        if _TERMINAL.fullmatch(label):
            return "terminal"
        if _INLINE.fullmatch(label):
            return "inline"
    return "inline" if _TEASER.fullmatch(label) else None


# Labels that are also real sub-headings ("Discussion", "Latest"): chrome only when no long
# paragraph follows them.
_WEAK_TERMINAL = {"discussion", "latest", "popular", "topics", "topic", "keywords", "background"}


def _subheading_after_all(lines: list[str], i: int) -> bool:
    label = lines[i].strip().lower().rstrip(" :.")
    return label in _WEAK_TERMINAL and i + 1 < len(lines) and _words(lines[i + 1]) >= 25


def _words(line: str) -> int:
    return len(line.split())


def _source_like(line: str) -> bool:
    """A publisher name: 1-5 words, short, capitalised (or a domain), no closing punctuation."""
    if not 0 < _words(line) <= 5 or len(line) > 40 or line[-1] in _TERMINAL_PUNCT + "\"'”’":
        return False
    if not (line[0].isupper() or line[0].isdigit() or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", line)):
        return False
    return _chrome(line) is None


def _title_like(line: str) -> bool:
    return 0 < _words(line) <= 30 and len(line) <= 250 and _chrome(line) is None


def _attribution(line: str) -> str | None:
    """The source named by an attribution line: "- CNN", "Source: Reuters", "via AP"."""
    match = re.fullmatch(r"(?:[-–—]\s*|(?:source|via)\s*:?\s+)(\S.*)", line.strip(), re.I)
    return match[1].strip() if match and _source_like(match[1].strip()) else None


_SEPARATOR = re.compile(r"\s+[•·|—–-]\s+|\s*[•·|]\s*")


def _source_and_time(line: str, now: datetime) -> tuple[str | None, datetime] | None:
    """("CNN", time) for one-line headers: "CNN • 2h ago", "2 hours ago | CNN", "By X · May 3"."""
    parts = [p for p in _SEPARATOR.split(line) if p]
    if not 2 <= len(parts) <= 3 or len(line) > 100:
        return None
    when = _time_of(parts[-1], now) or _time_of(parts[0], now)
    if when is None:
        return None
    names = [p for p in parts if _time_of(p, now) is None]
    name = names[0] if names else None
    if name is not None and not _source_like(name) and not _byline(name):
        return None
    return name, when


def _byline(line: str) -> str | None:
    match = re.fullmatch(r"(?:by|written by|author:?)\s+(\S.{1,80})", line.strip(), re.I)
    return match[1].strip() if match and _words(match[1]) <= 8 else None


# ---- card headers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    source: str | None
    published: datetime | None
    end: int  # the index of the first line after the header (the card's title)


def _header_at(lines: list[str], i: int, now: datetime, *, strict: bool) -> _Header | None:
    """The card header starting at line i: source, time and "- Source" lines in any order.

    Strict (inside an article) needs two signals; lenient (after the article) needs one.
    """
    source: str | None = None
    published: datetime | None = None
    signals = 0
    guessed = -1  # a source-like line taken after the time: it may be the title instead
    j = i
    while j < len(lines) and j < i + 4:
        line = lines[j]
        attribution = _attribution(line)
        when = _time_of(line, now) if published is None else None
        pair = _source_and_time(line, now) if published is None and source is None else None
        if when is not None:
            published, signals = when, signals + 1
        elif pair is not None:
            source, published = pair[0] if pair[0] and not _byline(pair[0]) else None, pair[1]
            signals += 2
        elif attribution and (source is None or attribution.lower() == source.lower()):
            signals += 2 if source else 1
            source = source or attribution
        elif source is None and _source_like(line) and j + 1 < len(lines):
            nxt = lines[j + 1]
            if published is None and (_time_of(nxt, now) or _attribution(nxt)):
                source = line
            elif published is not None and j + 2 < len(lines) and _title_like(nxt):
                source, guessed = line, j
            else:
                break
        else:
            break
        j += 1
    if guessed >= 0 and (j >= len(lines) or not _title_like(lines[j])):
        source, j = None, guessed  # the guessed "source" was the title
    if j >= len(lines) or not _title_like(lines[j]) or signals == 0:
        return None
    if strict and signals < 2 and not (source and published):
        return None
    return _Header(source, published, j)


# ---- paragraphs ----------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "inc.", "ltd.", "co.", "corp.",
    "gov.", "sen.", "rep.", "gen.", "col.", "lt.", "sgt.", "capt.", "adm.", "maj.", "no.",
    "vs.", "v.", "etc.", "e.g.", "i.e.", "approx.", "est.", "dept.", "fig.", "mt.", "ft.",
    "jan.", "feb.", "mar.", "apr.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec.",
}  # fmt: skip
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by",
    "from", "as", "that", "which", "who", "is", "are", "was", "were", "be", "said", "says",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?])[" + re.escape(_QUOTES) + r"]*\s+(?=\S)")


def _ends_with_abbreviation(head: str) -> bool:
    token = head.split()[-1].rstrip(_QUOTES).lower() if head.split() else ""
    return token in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.){1,}[a-z]?\.?", token))


def _first_sentence(paragraph: str) -> str:
    for match in _BOUNDARY.finditer(paragraph):
        if not _ends_with_abbreviation(paragraph[: match.start()]):
            return paragraph[: match.start()]
    return paragraph


def _glued_heading(paragraph: str) -> int | None:
    """Where a sub-heading glued to the end of a paragraph starts, or None.

    "... would review the proposal. Russia proposes two ceasefire options": a short capitalised
    fragment with no closing punctuation after the last real sentence end.
    """
    for match in reversed(list(_BOUNDARY.finditer(paragraph))):
        head, tail = paragraph[: match.start()], paragraph[match.end() :].strip()
        if _ends_with_abbreviation(head):
            continue  # "U.S. Allies", "Dr. Jane Smith": not a sentence end, try an earlier one
        words = tail.split()
        if (
            2 <= len(words) <= 10
            and tail[0].isupper()
            and tail.count("(") == tail.count(")")  # "Yahoo! News article)": not a heading
            and tail.count('"') % 2 == 0
            and tail.rstrip(_QUOTES)[-1:] not in ("", *_TERMINAL_PUNCT)
            and tail[-1] not in "\"'“‘"
            and words[-1].lower() not in _FUNCTION_WORDS
            and _words(head) >= 3
        ):
            return match.start()
        return None
    return None


def _split_glued(paragraphs: list[str]) -> list[str]:
    """Paragraphs with glued sub-headings split off as their own short paragraphs."""
    out: list[str] = []
    for k, paragraph in enumerate(paragraphs):
        nxt = paragraphs[k + 1] if k + 1 < len(paragraphs) else ""
        cut = _glued_heading(paragraph) if nxt[:1].isupper() or nxt[:1] in "\"“‘'" else None
        if cut is None:
            out.append(paragraph)
        else:
            out.extend([paragraph[:cut].rstrip(), paragraph[cut:].strip()])
    return out


def _lines(text: str) -> tuple[list[str], set[int]]:
    """Non-empty lines (hard-wrapped blocks re-joined) and the indices that follow a blank line."""
    lines: list[str] = []
    gaps: set[int] = set()
    text = re.sub(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]", "\n", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", clean_text(text))
    for block in re.split(r"\n\s*\n", text):
        rows = [" ".join(r.split()) for r in block.split("\n")]
        rows = [r for r in rows if r]
        if not rows:
            continue
        gaps.add(len(lines))
        width = max(len(r) for r in rows)
        long = [k for k in range(len(rows) - 1) if len(rows[k]) >= 0.75 * width]
        open_ended = [k for k in long if rows[k][-1] not in _TERMINAL_PUNCT + _QUOTES]
        # Wrapped lines are long, mostly end mid-sentence, and some go on in lower case.
        wrapped = (
            len(rows) >= 3
            and 40 <= width <= 100
            and len(long) >= 0.5 * (len(rows) - 1)
            and len(open_ended) >= 0.6 * len(long)
            and any(rows[k + 1][:1].islower() for k in open_ended)
        )
        if wrapped:  # a hard-wrapped block: a short line ends a paragraph (or is a title)
            joined: list[str] = []
            current: list[str] = []
            for row in rows:
                current.append(row)
                if len(row) < 0.6 * width:
                    joined.append(" ".join(current))
                    current = []
            rows = joined + ([" ".join(current)] if current else [])
        lines.extend(rows)
    return lines, gaps


# ---- the page ------------------------------------------------------------------------------------


def _is_markup(text: str) -> bool:
    """HTML, XML or JSON rather than plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    if head.startswith("<"):
        return True
    if head[:1] in "{[":
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            return True
    return len(re.findall(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?>|<!--|<!doctype", head, re.I)) >= 3


def looks_like_text_page(text: str) -> bool:
    """True for plain text (not HTML, XML or JSON) with a title line and a paragraph."""
    if not text.strip() or _is_markup(text):
        return False
    lines, _ = _lines(text[:20000])
    return len(lines) >= 2 and len(lines[0]) <= 300 and any(_words(r) >= 8 for r in lines[1:])


def _article_meta(
    lines: list[str], i: int, now: datetime
) -> tuple[str | None, str | None, datetime | None, int]:
    """Source, byline and time lines right after the title: ("Reuters", "Jane Roe", t, next)."""
    source = byline = None
    published: datetime | None = None
    for _ in range(3):
        if i >= len(lines):
            break
        line = lines[i]
        pair = _source_and_time(line, now)
        if published is None and (when := _time_of(line, now)) is not None:
            published = when
        elif published is None and pair is not None:
            name, published = pair
            if name and _byline(name):
                byline = _byline(name)
            else:
                source = name
        elif byline is None and _byline(line):
            byline = _byline(line)
        elif _source_like(line) and i + 1 < len(lines) and _time_of(lines[i + 1], now):
            source = line
        else:
            break
        i += 1
    return source, byline, published, i


def _title_before(lines: list[str], prev: int, header: _Header) -> bool:
    """Whether lines[prev] is the title of a card laid out "Title / CNN / 2h ago / body"."""
    title, first = lines[prev], lines[header.end]
    return (
        _title_like(title)
        and title[-1] not in _TERMINAL_PUNCT + _QUOTES
        and first[-1] in _TERMINAL_PUNCT + _QUOTES
        and _words(first) > _words(title)
    )


def _cards(
    lines: list[str], gaps: set[int], i: int, now: datetime, origin: str | None
) -> list[Item]:
    """One Item per related-article card in lines[i:]."""
    cards: list[Item] = []
    headers: list[tuple[int, _Header]] = []
    k = i
    while k < len(lines):
        header = _header_at(lines, k, now, strict=False)
        if header is None:
            k += 1
        else:
            headers.append((k, header))
            k = header.end + 1
    # Each card: (first line, title index, first body line, header).
    spans: list[tuple[int, int, int, _Header]] = []
    for k, header in headers:
        floor = spans[-1][2] + 1 if spans else i  # the previous card keeps one body line at least
        if k - 1 >= floor and _title_before(lines, k - 1, header):
            spans.append((k - 1, k - 1, header.end, header))
        else:
            spans.append((k, header.end, header.end + 1, header))
    for n, (_, title_at, body_at, header) in enumerate(spans):
        stop = spans[n + 1][0] if n + 1 < len(spans) else len(lines)
        body: list[str] = []
        for line in lines[body_at:stop]:
            kind = _chrome(line)
            if kind == "terminal":
                break
            if kind is None:
                body.append(line)
        cards.append(_card(header.source, lines[title_at], body, header.published, origin))
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
            and _title_like(line)
            and line[-1] not in _TERMINAL_PUNCT
            and current[-1][-1] in _TERMINAL_PUNCT + _QUOTES
        )
        if _chrome(line) or k in gaps or new_title:
            blocks.append(current)
            current = []
        if _chrome(line) is None:
            current.append(line)
    blocks.append(current)
    for block in blocks:
        if len(block) < 2:
            continue
        source = block[0] if len(block) >= 3 and _source_like(block[0]) else None
        title, body = (block[1], block[2:]) if source else (block[0], block[1:])
        if _title_like(title) and _words(title) >= 3 and sum(map(_words, body)) >= 10:
            cards.append(_card(source, title, body, None, origin))
    return cards


def _card(
    source: str | None, title: str, body: list[str], when: datetime | None, origin: str | None
) -> Item:
    text = "\n\n".join(_split_glued(body)) or None
    return Item(url=None, source=source or "unknown", title=title, text=text, published=when,
                source_url=origin)  # fmt: skip


def parse_text_page(
    text: str, *, now: datetime, origin: str | None = None, source: str | None = None
) -> list[Item]:
    """The main article of a plain-text page, then one Item per related-article card."""
    if not text or not text.strip():
        raise ExtractionError("textpage: the text is empty")
    if _is_markup(text):
        raise ExtractionError("textpage: the text is markup or JSON, not a plain-text page")
    now = _aware(now)
    lines, gaps = _lines(text)
    i = 0
    while i < len(lines) and _chrome(lines[i]):
        i += 1  # navigation before the headline
    lead = _header_at(lines, i, now, strict=True) if i < len(lines) else None
    page_source, published = (lead.source, lead.published) if lead else (None, None)
    i = lead.end if lead else i
    if i >= len(lines):
        raise ExtractionError("textpage: no article in the text (nothing but page chrome)")
    title = lines[i]
    paragraphs: list[str] = []
    if not _title_like(title):  # no headline line: the first sentence stands in for one
        paragraphs.append(title)
        title = _first_sentence(title)[:200]
    meta_source, byline, meta_time, i = _article_meta(lines, i + 1, now)
    while i < len(lines):
        kind = _chrome(lines[i])
        if kind == "terminal" and _subheading_after_all(lines, i):
            kind = None
        if kind == "terminal" and paragraphs:
            break
        if kind is None:
            card = _header_at(lines, i, now, strict=True) if paragraphs else None
            if card is not None:  # a related-article card right after the article, no label
                if len(paragraphs) > 1 and _title_before(lines, i - 1, card):
                    paragraphs.pop()
                    i -= 1
                break
            paragraphs.append(lines[i])
        i += 1
    if not paragraphs or max(map(_words, paragraphs)) < 5:
        raise ExtractionError("textpage: no article in the text (a title but no paragraph)")
    main = Item(
        url=None,
        source=source or page_source or meta_source or "unknown",
        title=title,
        text="\n\n".join(_split_glued(paragraphs)),
        published=published or meta_time,
        byline=byline,
        source_url=origin,
    )
    return [main, *_cards(lines, gaps, i, now, origin)]
