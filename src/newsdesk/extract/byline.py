"""Who wrote the article: person names, joined with ", "."""

from __future__ import annotations

from typing import Any

from newsdesk.extract.pagemeta import PageMeta
from newsdesk.sanitize import one_line

_MAX_NAME = 100  # characters: longer is a sentence, not a name
_MAX_AUTHORS = 20


def choose_byline(page: PageMeta, trafilatura_author: str | None) -> str | None:
    """Author names joined with ", ", or None when the page names nobody.

    trafilatura's byline heuristics come first; when they find nobody, the persons named as
    authors in the page's JSON-LD stand in (organizations are publishers, not bylines).
    """
    names = split_names(trafilatura_author) or _ld_persons(page)
    return ", ".join(names[:_MAX_AUTHORS]) if names else None


def split_names(value: str | None) -> list[str]:
    """Distinct names from trafilatura's "A; B" string, in order."""
    return _distinct((value or "").split(";"))


def _ld_persons(page: PageMeta) -> list[str]:
    names: list[str] = []
    for value in page.ld_values("author")[:1]:  # the main article's authors only
        for author in value if isinstance(value, list) else [value]:
            names.extend(_person_name(author))
    return _distinct(names)


def _person_name(author: Any) -> list[str]:
    if isinstance(author, str):
        return [author]
    if isinstance(author, dict) and str(author.get("@type", "Person")).lower() == "person":
        name = author.get("name")
        return [name] if isinstance(name, str) else []
    return []


def _distinct(parts: list[str]) -> list[str]:
    names: list[str] = []
    for part in parts:
        name = one_line(part, limit=_MAX_NAME)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names
