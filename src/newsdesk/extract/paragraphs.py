"""The lines and paragraphs of a text page: hard-wrapped blocks re-joined, first sentences, and
sub-headings glued to the end of a paragraph split off.
"""

from __future__ import annotations

import re

from newsdesk.extract.lineshape import QUOTES, TERMINAL_PUNCT, word_count
from newsdesk.sanitize import clean_text

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
_BOUNDARY = re.compile(r"(?<=[.!?])[" + re.escape(QUOTES) + r"]*\s+(?=\S)")


def _ends_with_abbreviation(head: str) -> bool:
    token = head.split()[-1].rstrip(QUOTES).lower() if head.split() else ""
    return token in _ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.){1,}[a-z]?\.?", token))


def first_sentence(paragraph: str) -> str:
    """The paragraph up to its first sentence end that is not an abbreviation ("Dr.", "U.S.")."""
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
            and tail.rstrip(QUOTES)[-1:] not in ("", *TERMINAL_PUNCT)
            and tail[-1] not in "\"'“‘"
            and words[-1].lower() not in _FUNCTION_WORDS
            and word_count(head) >= 3
        ):
            return match.start()
        return None
    return None


def split_glued(paragraphs: list[str]) -> list[str]:
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


def split_lines(text: str) -> tuple[list[str], set[int]]:
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
        open_ended = [k for k in long if rows[k][-1] not in TERMINAL_PUNCT + QUOTES]
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
