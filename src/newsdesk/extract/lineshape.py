"""The shape of one line of a text page: a source name, a title, a byline, an attribution, or a
one-line "source • time" header.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsdesk.extract.chrome import chrome_kind
from newsdesk.extract.reltime import time_of

TERMINAL_PUNCT = ".!?…:;,"
QUOTES = "\"'”’»)]"

_SEPARATOR = re.compile(r"\s+[•·|—–-]\s+|\s*[•·|]\s*")


def word_count(line: str) -> int:
    return len(line.split())


def source_like(line: str) -> bool:
    """A publisher name: 1-5 words, short, capitalised (or a domain), no closing punctuation."""
    if not 0 < word_count(line) <= 5 or len(line) > 40 or line[-1] in TERMINAL_PUNCT + "\"'”’":
        return False
    if not (line[0].isupper() or line[0].isdigit() or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", line)):
        return False
    return chrome_kind(line) is None


def title_like(line: str) -> bool:
    return 0 < word_count(line) <= 30 and len(line) <= 250 and chrome_kind(line) is None


def attribution(line: str) -> str | None:
    """The source named by an attribution line: "- CNN", "Source: Reuters", "via AP"."""
    match = re.fullmatch(r"(?:[-–—]\s*|(?:source|via)\s*:?\s+)(\S.*)", line.strip(), re.I)
    return match[1].strip() if match and source_like(match[1].strip()) else None


def byline(line: str) -> str | None:
    """The author named by a byline: "By Jane Roe", "Written by ...", "Author: ..."."""
    match = re.fullmatch(r"(?:by|written by|author:?)\s+(\S.{1,80})", line.strip(), re.I)
    return match[1].strip() if match and word_count(match[1]) <= 8 else None


def source_and_time(line: str, now: datetime) -> tuple[str | None, datetime] | None:
    """("CNN", time) for one-line headers: "CNN • 2h ago", "2 hours ago | CNN", "By X · May 3"."""
    parts = [p for p in _SEPARATOR.split(line) if p]
    if not 2 <= len(parts) <= 3 or len(line) > 100:
        return None
    when = time_of(parts[-1], now) or time_of(parts[0], now)
    if when is None:
        return None
    names = [p for p in parts if time_of(p, now) is None]
    name = names[0] if names else None
    if name is not None and not source_like(name) and not byline(name):
        return None
    return name, when
