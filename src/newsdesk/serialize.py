"""JSON-ready dicts of what newsdesk stores and extracts: one shape for CLI, export and API."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from newsdesk.models import Extracted, Item, SearchHit, Sighting, StoredArticle


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def aware(value: datetime | None) -> datetime | None:
    """A datetime from user input: naive means UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def sighting_dict(s: Sighting) -> dict[str, Any]:
    return {"source": s.source, "url": s.url, "title": s.title, "seen_at": iso(s.seen_at)}


def article_dict(article: StoredArticle, duplicate_of: int | None) -> dict[str, Any]:
    """The export record: {id, external_id, url, source, title, byline, published, lang, text,
    duplicate_of, sightings: [{source, url, title, seen_at}]}."""
    return {
        "id": article.id,
        "external_id": article.external_id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "byline": article.byline,
        "published": iso(article.published),
        "lang": article.lang,
        "text": article.text,
        "duplicate_of": duplicate_of,
        "sightings": [sighting_dict(s) for s in article.sightings],
    }


def extracted_dict(ext: Extracted) -> dict[str, Any]:
    data = asdict(ext)
    data["published"] = iso(ext.published)
    return data


def item_dict(item: Item) -> dict[str, Any]:
    data = asdict(item)
    data["published"] = iso(item.published)
    return data


def hit_dict(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.article_id,
        "title": hit.title,
        "source": hit.source,
        "published": iso(hit.published),
        "lang": hit.lang,
        "snippet": hit.snippet,
        "rank": hit.rank,
    }


def stats_dict(stats: object) -> dict[str, Any]:
    return asdict(stats)  # type: ignore[call-overload, no-any-return]
