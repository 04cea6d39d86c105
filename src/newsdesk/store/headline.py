"""A search hit's headline: the words of its text around its best matches, query words marked
[like this], as ts_headline (PostgreSQL) and snippet() (SQLite FTS5) made them.

Made here, for both databases, from the page's texts: PostgreSQL's ts_headline parsed each text
again with the full-text parser (20 headlines for each of 18 queries at 10^5 articles: 10.3 ms
of SQL a page against 3.0 ms here, one run on a loaded machine). Here a regular expression per
query word finds the matches and only the words around the chosen ones are read. A word matches
a term when the two are equal ignoring case and accents, as SQLite's index folds them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

HEADLINE_CHARS = 20_000  # how far into a text its matches are looked for
MAX_WORDS = 30  # in one fragment
BEFORE = MAX_WORDS // 3  # words of a fragment before the match it is built around
FRAGMENTS = 2  # at most, joined by DELIMITER
MAX_ANCHORS = 50  # matches a fragment may be built around: the first ones
DELIMITER = " … "
ELLIPSIS = "…"  # where a fragment starts or ends inside the text
_WORD = re.compile(r"\w+")
_REACH = 20  # characters a fragment's word may take, at most, with the space after it
_CLING = 200  # characters of punctuation clinging to an edge word taken at most


class _Hit(NamedTuple):
    start: int
    end: int
    term: str


def headline(title: str, text: str, terms: Sequence[str]) -> str:
    """The text's fragments around its best matches of terms (the query's words), marked; when
    only the title matches, the title, marked; "" when neither does (the caller shows a lead).

    A fragment is MAX_WORDS words around a match, holding as many distinct terms as any (the
    earliest such); a second fragment, the next best that does not overlap it, follows in text
    order."""
    wanted = tuple(sorted({_fold_text(t) for t in terms if t}, key=len, reverse=True))
    if not wanted:
        return ""
    body = text[:HEADLINE_CHARS]
    folded = _fold_text(body)
    hits = _hits(folded, wanted)
    if not hits:
        in_title = _hits(_fold_text(title), wanted)
        return _mark(title, in_title, 0) if in_title else ""
    starts = [h.start for h in hits]
    chosen: list[tuple[int, int]] = []  # character spans of the fragments
    for _ in range(FRAGMENTS):
        best: tuple[int, int] | None = None
        best_terms = 0
        for hit in hits[:MAX_ANCHORS]:
            span = _around(body, hit)
            if any(span[0] < end and start < span[1] for start, end in chosen):
                continue
            inside = hits[bisect_left(starts, span[0]) : bisect_left(starts, span[1])]
            found = len({h.term for h in inside if h.end <= span[1]})
            if found > best_terms:
                best, best_terms = span, found
                if found == len(wanted):  # none later can hold more: the earliest stands
                    break
        if best is None:
            break
        chosen.append(best)
    parts = []
    for index, (start, end) in enumerate(sorted(chosen)):
        inside = hits[bisect_left(starts, start) : bisect_left(starts, end)]
        fragment = _mark(body[start:end], inside, start)
        lead = ELLIPSIS if index == 0 and body[:start].strip() else ""
        more = body[end:].strip() or len(text) > len(body)
        tail = ELLIPSIS if index == len(chosen) - 1 and more else ""
        parts.append(lead + fragment + tail)
    return DELIMITER.join(parts)


def _around(body: str, hit: _Hit) -> tuple[int, int]:
    """The character span of the MAX_WORDS words around hit: BEFORE words before it where the
    text has them, the rest after; with the punctuation clinging to the edge words."""
    before = list(_WORD.finditer(body, max(0, hit.start - _REACH * BEFORE), hit.start))[-BEFORE:]
    after = list(islice(_WORD.finditer(body, hit.start, hit.start + _REACH * MAX_WORDS), MAX_WORDS))
    after = after[: MAX_WORDS - len(before)]
    start = before[0].start() if before else hit.start
    end = after[-1].end() if after else hit.end
    floor, ceiling = max(0, start - _CLING), min(len(body), end + _CLING)
    while start > floor and not body[start - 1].isspace():
        start -= 1
    while end < ceiling and not body[end].isspace():
        end += 1
    return start, end


def _hits(folded: str, wanted: tuple[str, ...]) -> list[_Hit]:
    """Where the terms stand in folded as whole words, in text order (a longer term first
    where two start at one place)."""
    found: dict[int, _Hit] = {}
    for term in wanted:
        # A literal first lets the regular expression skip ahead (a leading \b made the scan
        # of a 1.4 KB text 60 times slower); the word boundary before is checked by hand.
        for m in _pattern(term).finditer(folded):
            start = m.start()
            if (start and _is_word(folded[start - 1])) or start in found:
                continue
            found[start] = _Hit(start, m.end(), term)
    return [found[start] for start in sorted(found)]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _mark(text: str, hits: Sequence[_Hit], offset: int) -> str:
    """text (which starts offset characters into what hits were found in) with each hit in
    [ ]; a hit inside one marked before (a shorter term in a longer) is left."""
    out, last = [], 0
    for hit in hits:
        start, end = hit.start - offset, hit.end - offset
        if start < last or end > len(text):
            continue
        out.append(f"{text[last:start]}[{text[start:end]}]")
        last = end
    out.append(text[last:])
    return "".join(out)


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(re.escape(term) + r"\b")


def _fold_text(text: str) -> str:
    """text lower-cased and without accents, one character for each of text's (so that a match
    in it is a match at the same place in text)."""
    lowered = text.lower()
    if text.isascii():
        return lowered
    # Typographic quotes and dashes make most texts non-ASCII without an accent to fold.
    if len(lowered) == len(text) and unicodedata.is_normalized("NFKD", lowered):
        return lowered
    return text.translate(_FOLDED)


class _FoldTable(dict[int, str]):
    """str.translate's table: each character's lower-case base letter, worked out once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char.lower()) if not unicodedata.combining(c)
        )
        folded = base[:1] or char  # one for one: a match keeps its place
        self[code] = folded
        return folded


_FOLDED = _FoldTable()
