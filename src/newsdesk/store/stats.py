"""Counts for the CLI and the web: what the store holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, sightings, sources

TOP_SOURCES = 20
UNKNOWN_LANGUAGE = "und"  # BCP 47 "undetermined"


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What the store holds; `stats` and `stats --json` both show these numbers, unchanged."""

    articles: int  # canonical articles
    duplicates: int  # copies merged into a canonical article: its sightings beyond the first
    sightings: int  # every place an article was published (canonical and copies)
    sources: int  # subscribed sources
    by_language: dict[str, int] = field(default_factory=dict)  # canonical articles per language
    by_source: dict[str, int] = field(default_factory=dict)  # the top 20 publishers by articles
    publishers: int = 0  # distinct sources of canonical articles
    near_duplicates: int = 0  # of the duplicates, those whose own text is kept (duplicate_of)


class StatsRepo(Bound):
    def stats(self) -> StoreStats:
        """Counts of canonical articles, duplicates, sightings and sources, and breakdowns."""
        canonical = articles.c.duplicate_of.is_(None)
        total, near = self._conn.execute(
            select(func.count(), func.count(articles.c.duplicate_of))
        ).one()
        seen, sighted = self._conn.execute(
            select(func.count(), func.count(sightings.c.article_id.distinct()))
        ).one()
        lang = func.coalesce(articles.c.lang, UNKNOWN_LANGUAGE)
        by_language = self._conn.execute(
            select(lang, func.count())
            .where(canonical)
            .group_by(lang)
            .order_by(func.count().desc(), lang)
        ).all()
        by_source = self._conn.execute(
            select(articles.c.source, func.count())
            .where(canonical)
            .group_by(articles.c.source)
            .order_by(func.count().desc(), articles.c.source)
            .limit(TOP_SOURCES)
        ).all()
        publishers = self._conn.execute(
            select(func.count(func.distinct(articles.c.source))).where(canonical)
        ).scalar_one()
        return StoreStats(
            articles=total - near,
            # Every merge (exact or near) adds a sighting to the canonical article; its first
            # sighting is the article itself.
            duplicates=seen - sighted,
            near_duplicates=near,
            sightings=seen,
            sources=self._conn.execute(select(func.count()).select_from(sources)).scalar_one(),
            publishers=publishers,
            by_language={name: n for name, n in by_language},
            by_source={name: n for name, n in by_source},
        )
