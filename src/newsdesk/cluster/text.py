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
