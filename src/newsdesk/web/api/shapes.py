"""API bodies from the read models (newsdesk.read): the same dicts the CLI's --json prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk import read
from newsdesk.store import Repo, StorySummary
from newsdesk.store.catalog import ArticleRow


def story_items(repo: Repo, rows: Sequence[StorySummary]) -> list[dict[str, Any]]:
    """API list items for ranked stories: read.story_cards as JSON (two queries in all)."""
    return [read.to_json(card) for card in read.story_cards(repo, rows)]


def article_items(rows: Sequence[ArticleRow]) -> list[dict[str, Any]]:
    """API list items for listed articles: read.article_cards as JSON."""
    return [read.to_json(card) for card in read.article_cards(rows)]
