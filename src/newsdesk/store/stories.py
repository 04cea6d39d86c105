"""Stories: their state for the clustering index, aliases of merged ids, merges and the ranking."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Row, delete, func, literal_column, nulls_last, or_, select, union, update

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, briefs, stories, story_aliases, story_articles
from newsdesk.store.vectors import bytes_vector, vector_bytes

# Ranking: a story last seen a day later outranks one with up to two more distinct sources.
FRESH_DAY = 2.0


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story's state as the clustering index keeps it; updated_at is the store's to set."""

    id: int
    title: str
    centroid: np.ndarray | bytes | None = field(default=None, compare=False)  # float32 on read
    size: int = 0
    entities: Mapping[str, float] = field(default_factory=dict)  # name -> weight (or count)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story on a list page: sources counts distinct publishers, near-duplicates included."""

    id: int
    title: str
    size: int
    sources: int
    last_seen: datetime | None
    first_seen: datetime | None


def _centroid_bytes(centroid: np.ndarray | bytes | None) -> bytes | None:
    if centroid is None or isinstance(centroid, bytes):
        return centroid
    return vector_bytes(centroid)


def _story(row: Row[Any]) -> StoryRow:
    return StoryRow(
        id=row.id,
        title=row.title,
        centroid=None if row.centroid is None else bytes_vector(row.centroid),
        size=row.size,
        entities=json.loads(row.entities),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        updated_at=row.updated_at,
    )


def _merged_centroid(keep: StoryRow, gone: StoryRow) -> np.ndarray | None:
    a, b = keep.centroid, gone.centroid
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray) or a.shape != b.shape:
        return a if isinstance(a, np.ndarray) else b if isinstance(b, np.ndarray) else None
    mean = a * max(keep.size, 1) + b * max(gone.size, 1)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(a, b) if a and b else a or b


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a and b else a or b


class StoryRepo(Bound):
    def upsert_story(self, state: StoryRow) -> None:
        """Write a story's state under state.id; an id merged away earlier becomes a story again."""
        self._conn.execute(delete(story_aliases).where(story_aliases.c.old_id == state.id))
        values = {
            "title": state.title,
            "centroid": _centroid_bytes(state.centroid),
            "size": state.size,
            "entities": json.dumps(dict(state.entities), ensure_ascii=False, sort_keys=True),
            "first_seen": state.first_seen,
            "last_seen": state.last_seen,
            "updated_at": utcnow(),
        }
        stmt = self._dialect.insert(stories).values(id=state.id, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"], set_={name: stmt.excluded[name] for name in values}
        )
        self._conn.execute(stmt)

    def resolve_story_id(self, story_id: int) -> int:
        """The current id of a story (an alias followed); NotFoundError when there is none."""
        current = follow_alias(self._conn, story_id)
        if self._conn.execute(select(stories.c.id).where(stories.c.id == current)).first() is None:
            raise NotFoundError(f"store: no story with id {story_id}")
        return current

    def get_story(self, story_id: int) -> StoryRow:
        """The story with this id or alias; NotFoundError when there is none."""
        current = follow_alias(self._conn, story_id)
        row = self._conn.execute(select(stories).where(stories.c.id == current)).first()
        if row is None:
            raise NotFoundError(f"store: no story with id {story_id}")
        return _story(row)

    def active_stories(self, since: datetime | None, limit: int = 50_000) -> list[StoryRow]:
        """Stories last seen at or after since (and undated ones), the freshest first."""
        query = select(stories)
        if since is not None:
            query = query.where(or_(stories.c.last_seen >= since, stories.c.last_seen.is_(None)))
        query = query.order_by(nulls_last(stories.c.last_seen.desc()), stories.c.id.desc())
        return [_story(row) for row in self._conn.execute(query.limit(max(0, limit)))]

    def merge_stories(self, keep: int, gone: int) -> None:
        """Fold story gone into keep: links and aliases move, gone's id becomes an alias of keep.

        gone's row and brief are deleted; keep's size, dates, entities and centroid absorb gone's.
        Either id may be an alias; merging a story into itself changes nothing.
        """
        kept, lost = self.get_story(keep), self.get_story(gone)
        if kept.id == lost.id:
            return
        self._conn.execute(
            update(story_articles)
            .where(story_articles.c.story_id == lost.id)
            .values(story_id=kept.id)
        )
        self._conn.execute(
            update(story_aliases)
            .where(story_aliases.c.story_id == lost.id)
            .values(story_id=kept.id)
        )
        self._conn.execute(delete(briefs).where(briefs.c.story_id == lost.id))
        self._conn.execute(delete(stories).where(stories.c.id == lost.id))
        self._conn.execute(story_aliases.insert().values(old_id=lost.id, story_id=kept.id))
        entities = dict(kept.entities)
        for name, weight in lost.entities.items():
            entities[name] = entities.get(name, 0) + weight
        self.upsert_story(
            StoryRow(
                id=kept.id,
                title=kept.title,
                centroid=_merged_centroid(kept, lost),
                size=kept.size + lost.size,
                entities=entities,
                first_seen=_earliest(kept.first_seen, lost.first_seen),
                last_seen=_latest(kept.last_seen, lost.last_seen),
            )
        )

    def list_stories(self, *, limit: int = 20, offset: int = 0) -> list[StorySummary]:
        """Stories, best first: distinct sources + FRESH_DAY per day of last_seen; undated last."""
        link = story_articles
        members = select(link.c.story_id, articles.c.source).join(
            articles, articles.c.id == link.c.article_id
        )
        copies = select(link.c.story_id, articles.c.source).join(
            articles, articles.c.duplicate_of == link.c.article_id
        )
        seen = union(members, copies).subquery("seen")
        breadth = (
            select(seen.c.story_id, func.count(seen.c.source.distinct()).label("sources"))
            .group_by(seen.c.story_id)
            .subquery("breadth")
        )
        sources = func.coalesce(breadth.c.sources, 0)
        score = sources + FRESH_DAY * self._dialect.day_number(stories.c.last_seen)
        query = (
            select(
                stories.c.id,
                stories.c.title,
                stories.c.size,
                sources.label("sources"),
                stories.c.last_seen,
                stories.c.first_seen,
            )
            .select_from(stories.outerjoin(breadth, breadth.c.story_id == stories.c.id))
            .order_by(nulls_last(score.desc()), literal_column("sources").desc(), stories.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return [
            StorySummary(
                id=row.id,
                title=row.title,
                size=row.size,
                sources=row.sources,
                last_seen=row.last_seen,
                first_seen=row.first_seen,
            )
            for row in self._conn.execute(query)
        ]
