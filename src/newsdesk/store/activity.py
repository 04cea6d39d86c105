"""What the store did lately: articles stored per minute, failing sources (for status pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, sources

RECENT_ROWS = 20_000  # the newest articles looked at: a bounded scan of the primary key


@dataclass(frozen=True, slots=True)
class Activity:
    """Counts over the last `minutes` minutes, and totals that a status page shows beside them."""

    minutes: int
    stored: int  # articles stored in the window (at most RECENT_ROWS: `capped` says so)
    capped: bool
    articles: int  # every article row, copies included
    sources: int
    sources_failing: int  # sources whose last poll failed

    @property
    def per_minute(self) -> float:
        return self.stored / self.minutes if self.minutes else 0.0


class ActivityRepo(Bound):
    def activity(self, now: datetime, minutes: int = 10) -> Activity:
        """Recent ingest rate (a bounded scan of the newest rows) and totals."""
        since = now - timedelta(minutes=minutes)
        newest = (
            select(articles.c.created_at)
            .order_by(articles.c.id.desc())
            .limit(RECENT_ROWS)
            .subquery()
        )
        stored = self._conn.execute(
            select(func.count()).select_from(newest).where(newest.c.created_at >= since)
        ).scalar_one()
        total = self._conn.execute(select(func.count()).select_from(articles)).scalar_one()
        n_sources, failing = self._conn.execute(
            select(func.count(), func.count().filter(sources.c.error_count > 0))
        ).one()
        return Activity(
            minutes=minutes,
            stored=stored,
            capped=stored >= RECENT_ROWS,
            articles=total,
            sources=n_sources,
            sources_failing=failing,
        )
