"""API bodies from the read models (newsdesk.read): the same dicts the CLI's --json prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk import read
from newsdesk.store import Repo, StorySummary
from newsdesk.store.catalog import ArticleRow
from newsdesk.web import derived


def story_items(
    kept: derived.Derived, repo: Repo, rows: Sequence[StorySummary]
) -> list[dict[str, Any]]:
    """API list items for ranked stories: their cards as JSON (derived.story_cards: the cards
    not kept are read in a fixed number of queries)."""
    return [read.to_json(card) for card in derived.story_cards(kept, repo, rows)]


def article_items(repo: Repo, rows: Sequence[ArticleRow]) -> list[dict[str, Any]]:
    """API list items for listed articles: read.article_cards as JSON, pictures included (one
    query)."""
    return [read.to_json(card) for card in read.article_cards(rows, repo)]
