"""Stories: their state for the clustering index, aliases of merged ids, merges and the ranking."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Float,
    Row,
    Subquery,
    bindparam,
    case,
    cast,
    delete,
    func,
    nulls_last,
    or_,
    select,
    union,
    union_all,
    update,
)

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, briefs, stories, story_aliases, story_articles
from newsdesk.store.timestamps import UTCDateTime
from newsdesk.store.vectors import bytes_vector, vector_bytes

# Ranking: breadth (distinct publishers) plus a freshness bonus worth FRESH_BONUS publishers for
# coverage dated now, falling linearly to nothing at FRESH_DAYS old. Past that, breadth alone
# ranks: a story of 17 publishers is never buried under 2-publisher stories because they are a
# few days newer. Only dated coverage counts: an undated article is never fresh.
FRESH_BONUS = 3.0
FRESH_DAYS = 2.0


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
    section: str | None = None  # read from the store; written by set_story_section
    nation: str | None = None


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story on a list page: sources counts distinct publishers, near-duplicates included;
    first_seen and last_seen are its earliest and latest DATED coverage (None: all undated)."""

    id: int
    title: str
    size: int
    sources: int
    last_seen: datetime | None
    first_seen: datetime | None
    changed_at: datetime | None = None  # when the story itself last changed in the store
    section: str | None = None  # World, Politics, ... (newsdesk.enrich.sections)
    nation: str | None = None  # the country of its coverage, when it has one


# What a ranked listing reads of each story (summary_of turns a row of them, with its score,
# into a StorySummary): the front page, section pages and a reader's own stories.
RANKED_COLUMNS = (
    stories.c.id,
    stories.c.title,
    stories.c.size,
    stories.c.sources,
    stories.c.dated_first,
    stories.c.dated_last,
    stories.c.updated_at,
    stories.c.section,
    stories.c.nation,
)


def summary_of(row: Any) -> StorySummary:
    """A ranked listing's row (the stories columns, its breadth as sources, its dated first and
    last coverage as dated_first and dated_last) as a StorySummary."""
    return StorySummary(
        id=row.id,
        title=row.title,
        size=row.size,
        sources=row.sources,
        last_seen=row.dated_last,
        first_seen=row.dated_first,
        changed_at=row.updated_at,
        section=row.section,
        nation=row.nation,
    )


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
        section=row.section,
        nation=row.nation,
    )


def _merged_centroid(keep: StoryRow, gone: StoryRow) -> np.ndarray | None:
    a, b = keep.centroid, gone.centroid
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray) or a.shape != b.shape:
        return a if isinstance(a, np.ndarray) else b if isinstance(b, np.ndarray) else None
    mean: np.ndarray = a * max(keep.size, 1) + b * max(gone.size, 1)
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
        stmt = self._dialect.upsert(stories, ["id"], list(values))
        self._conn.execute(stmt, {"id": state.id, **values})

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

    def get_stories(self, story_ids: list[int]) -> dict[int, StoryRow]:
        """The stories with these current ids, in one query; ids with no story are left out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        query = select(stories).where(stories.c.id.in_(wanted))
        return {row.id: _story(row) for row in self._conn.execute(query)}

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

    def story_dates(self, story_ids: list[int]) -> dict[int, tuple[datetime, datetime]]:
        """(earliest, latest) publication time of each story's dated coverage; undated: absent."""
        if not story_ids:
            return {}
        seen = _coverage(story_ids)
        query = select(
            seen.c.story_id, func.min(seen.c.published), func.max(seen.c.published)
        ).where(seen.c.published.is_not(None))
        rows = self._conn.execute(query.group_by(seen.c.story_id))
        return {row[0]: (row[1], row[2]) for row in rows}

    def story_breadth(self, story_id: int) -> int:
        """Distinct publishers of a story, near-duplicates included: the ranking's count."""
        return self.story_breadths([story_id]).get(story_id, 0)

    def story_breadths(self, story_ids: list[int]) -> dict[int, int]:
        """story_breadth of many stories in one query; a story with no coverage is left out."""
        if not story_ids:
            return {}
        seen = _coverage(story_ids)
        query = select(seen.c.story_id, func.count(seen.c.source.distinct()))
        rows = self._conn.execute(query.group_by(seen.c.story_id))
        return {row[0]: int(row[1]) for row in rows}

    def list_stories(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        now: datetime | None = None,
        section: str | None = None,
    ) -> list[StorySummary]:
        """Stories, best first: distinct publishers + a bonus for fresh dated coverage (see
        FRESH_BONUS); the one ranking of the front page, the API and the CLI.

        Read from the stories' own ranking columns (kept by triggers, migration 0009): a story
        dated in the last FRESH_DAYS may climb by its bonus, so those few are all scored; every
        other story scores its breadth alone, so the best of them are the first rows of the
        index on (sources, dated_last, id). Neither read grows with the archive.
        section (a section or a country) keeps that section's stories, ranked the same way.
        """
        ranked_at = now or utcnow()
        wanted = max(0, offset) + max(0, limit)
        if wanted == max(0, offset):
            return []
        cutoff = bindparam("fresh_from", ranked_at - timedelta(days=FRESH_DAYS), UTCDateTime)
        last = stories.c.dated_last
        columns = RANKED_COLUMNS
        within = or_(stories.c.section == section, stories.c.nation == section)
        score = stories.c.sources + FRESH_BONUS * self._freshness(last, ranked_at)
        fresh = select(*columns, score.label("score")).where(last >= cutoff)
        stale = (
            select(*columns, cast(stories.c.sources, Float).label("score"))
            .where(or_(last < cutoff, last.is_(None)))
            .order_by(stories.c.sources.desc(), nulls_last(last.desc()), stories.c.id)
            .limit(wanted)
        )
        if section is not None:
            fresh, stale = fresh.where(within), stale.where(within)
        both = union_all(fresh, stale.subquery().select()).subquery("ranked")
        query = (
            select(both)
            .order_by(
                both.c.score.desc(),
                both.c.sources.desc(),
                nulls_last(both.c.dated_last.desc()),
                both.c.id,
            )
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return [summary_of(row) for row in self._conn.execute(query)]

    def _freshness(self, last: ColumnElement[Any], now: datetime) -> ColumnElement[float]:
        """1 for coverage dated now (or later), falling to 0 at FRESH_DAYS old; 0 when undated."""
        day = self._dialect.day_number
        age = day(bindparam("ranked_at", now, type_=UTCDateTime)) - day(last)
        left = func.coalesce(1.0 - age / FRESH_DAYS, 0.0)
        return case((left > 1.0, 1.0), (left < 0.0, 0.0), else_=left)


def _coverage(story_ids: list[int] | None) -> Subquery:
    """(story_id, source, published) of every article of the stories and of their copies."""
    link = story_articles
    members = select(link.c.story_id, articles.c.source, articles.c.published).join(
        articles, articles.c.id == link.c.article_id
    )
    copies = select(link.c.story_id, articles.c.source, articles.c.published).join(
        articles, articles.c.duplicate_of == link.c.article_id
    )
    if story_ids is not None:
        members = members.where(link.c.story_id.in_(story_ids))
        copies = copies.where(link.c.story_id.in_(story_ids))
    return union(members, copies).subquery("seen")
