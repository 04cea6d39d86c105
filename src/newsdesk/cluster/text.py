"""The one text per article that the story embedding sees: the title and the lead."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def article_text_for_embedding(title: str, text: str, max_words: int = 80) -> str:
    """Title, then the first words of the body, max_words in all; the title is not repeated."""
    head = _SPACE.sub(" ", title or "").strip()
    body = _SPACE.sub(" ", text or "").strip()
    if head and body.casefold().startswith(head.casefold()):
        body = body[len(head) :].lstrip(" .:-")  # some sources use the lead as the title
    title_words = head.split()
    budget = max_words - len(title_words)
    if budget <= 0:
        return " ".join(title_words[:max_words])
    lead = " ".join(body.split()[:budget])
    if not head or not lead:
        return head or lead
    joiner = " " if head.endswith((".", "!", "?", ":")) else ". "
    return head + joiner + lead


_NUMBER = re.compile(r"(?<![\w.,:/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:/]|[.,]\d)")


def event_details(title: str, text: str, max_words: int = 80) -> frozenset[str]:
    """The numbers of the title and lead (magnitudes, tolls, ages, sums, years): details that
    tell one event from another of the same kind. Clustering counts them with the names.

    Numbers below 2 say little (one, a 1.5-point rise) and are left out; "1,200" is "1200".
    """
    head = _SPACE.sub(" ", title or "").strip()
    lead = " ".join((text or "").split()[:max_words])
    found = set()
    for match in _NUMBER.finditer(f"{head} {lead}"):
        number = match.group(1).replace(",", "")
        if float(number) >= 2:
            found.add(number)
    return frozenset(found)
