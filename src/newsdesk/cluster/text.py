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


# Letters of body text beyond the title that an article needs before it may share a story:
# about two short sentences. Below it (title-only items, "Item 17" templates, a link with a
# "read more") the vector is the title's alone, and titles made from one template ("Item 1",
# "Item 2", ...) are near-identical vectors whose numbers differ: no evidence of one event.
MIN_STORY_LETTERS = 50
_LETTER = re.compile(r"[^\W\d_]")


def story_evidence(title: str, text: str) -> int:
    """Letters of the body that the title does not already say; digits and marks never count."""
    head = _SPACE.sub(" ", title or "").strip()
    body = _SPACE.sub(" ", text or "").strip()
    if head and body.casefold().startswith(head.casefold()):
        body = body[len(head) :]
    return len(_LETTER.findall(body))


def may_share_story(title: str, text: str) -> bool:
    """Whether the article says enough to join a story or be joined; otherwise it stays alone."""
    return story_evidence(title, text) >= MIN_STORY_LETTERS
