"""JSON-ready dicts of what newsdesk stores and extracts: one shape for CLI, export and API."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsdesk.models import Brief, Extracted, Item, SearchHit, Sighting, StoredArticle

if TYPE_CHECKING:  # for hints only: the CLI's light commands must not load spaCy or the store
    from _typeshed import DataclassInstance

    from newsdesk.enrich import Answer
    from newsdesk.related import Related
    from newsdesk.store.search import StoryHit


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
    """The export record: {id, external_id, url, source, title, byline, published (null when
    undated), published_approx, modified, lang, text, duplicate_of, sightings: [{source, url,
    title, seen_at}]}."""
    return {
        "id": article.id,
        "external_id": article.external_id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "byline": article.byline,
        "published": iso(article.published),
        "published_approx": article.published_approx,
        "modified": iso(article.modified),
        "lang": article.lang,
        "text": article.text,
        "duplicate_of": duplicate_of,
        "sightings": [sighting_dict(s) for s in article.sightings],
    }


def extracted_dict(ext: Extracted) -> dict[str, Any]:
    data = asdict(ext)
    data["published"] = iso(ext.published)
    data["modified"] = iso(ext.modified)
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


def story_hit_dict(found: StoryHit) -> dict[str, Any]:
    """A hybrid search result: its best article (hit_dict), its story and what matched."""
    return {
        **hit_dict(found.hit),
        "story_id": found.story_id,
        "others": found.others,
        "matched": list(found.matched),
        "similarity": found.similarity,
    }


def stats_dict(stats: DataclassInstance) -> dict[str, Any]:
    return asdict(stats)


def brief_dict(brief: Brief) -> dict[str, Any]:
    """The whole brief, every citation included."""
    return asdict(brief)


def brief_export(brief: Brief | None, story_id: int | None) -> dict[str, Any]:
    """The enrichment fields of an export record."""
    if brief is None:
        return {
            "story_id": story_id,
            "summary": [],
            "key_points": [],
            "entities": [],
            "hashtags": [],
            "quotes": [],
            "figures": [],
        }
    return {
        "story_id": story_id,
        "summary": [line.text for line in brief.summary],
        "key_points": [line.text for line in brief.key_points],
        "entities": [
            {
                "text": e.text,
                "type": e.type,
                "canonical": e.canonical,
                "start": e.start,
                "end": e.end,
            }
            for e in brief.entities
        ],
        "hashtags": list(brief.hashtags),
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in brief.quotes],
        "figures": [{"value": f.value, "unit": f.unit, "what": f.what} for f in brief.figures],
    }


def related_dict(item: Related) -> dict[str, Any]:
    return {
        "id": item.article_id,
        "title": item.title,
        "source": item.source,
        "url": item.url,
        "published": iso(item.published),
        "when": item.when,
        "kind": item.kind,
        "story_id": item.story_id,
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "found": answer.found,
        "text": answer.text,
        "lines": [
            {
                "text": line.text,
                "cites": [{"article_id": c.article_id, "sentence": c.sentence} for c in line.cites],
            }
            for line in answer.lines
        ],
    }
