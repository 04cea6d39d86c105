"""Which story each article belongs to, why, and whether a person pinned it there."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Row,
    Select,
    bindparam,
    case,
    false,
    func,
    nulls_last,
    or_,
    select,
    true,
    union_all,
)

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.models import StoredArticle
from newsdesk.store.aliases import follow_alias
from newsdesk.store.articles import ArticleRepo
from newsdesk.store.dialect import StoreDialect
from newsdesk.store.schema import articles, sightings, stories, story_articles


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Why an article is in its story; article_id is the canonical article holding the link."""

    article_id: int
    story_id: int
    similarity: float
    shared_entities: tuple[str, ...]
    reason: str
    pinned: bool
    added_at: datetime


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One canonical article of a story as its coverage lists it: no text, no sightings."""

    id: int
    source: str
    title: str
    url: str | None
    published: datetime | None
    published_approx: bool
    modified: datetime | None
    lang: str | None
    reason: str
    similarity: float


def _link(row: Row[Any]) -> StoryLink:
    return StoryLink(
        article_id=row.article_id,
        story_id=row.story_id,
        similarity=float(row.similarity),
        shared_entities=tuple(json.loads(row.shared_entities)),
        reason=row.reason,
        pinned=bool(row.pinned),
        added_at=row.added_at,
    )


@cache
def _link_upsert(dialect: StoreDialect) -> Any:
    """link_article's statement, built once per dialect; a pinned link (a person's split or
    merge) is replaced only by another pinned one."""
    stmt = dialect.insert(story_articles)
    new = stmt.excluded
    moved = story_articles.c.story_id != new.story_id
    return stmt.on_conflict_do_update(
        index_elements=["article_id"],
        set_={
            "story_id": new.story_id,
            "similarity": new.similarity,
            "shared_entities": new.shared_entities,
            "reason": new.reason,
            "pinned": new.pinned,
            # added_at is when the article joined this story: a re-run does not reset it.
            "added_at": case((moved, new.added_at), else_=story_articles.c.added_at),
        },
        where=or_(new.pinned == true(), story_articles.c.pinned == false()),
    ).returning(story_articles.c.article_id)


class StoryLinkRepo(ArticleRepo):
    def link_article(
        self,
        article_id: int,
        story_id: int,
        *,
        similarity: float,
        shared_entities: Sequence[str],
        reason: str,
        pinned: bool = False,
    ) -> bool:
        """Place the article in the story (an alias means its story); False when a pin kept it.

        A pinned link (a person's split or merge) is replaced only by another pinned one.
        """
        row = {
            "article_id": article_id,
            "story_id": follow_alias(self._conn, story_id),
            "similarity": float(similarity),
            "shared_entities": json.dumps(list(shared_entities), ensure_ascii=False),
            "reason": reason,
            "pinned": pinned,
            "added_at": utcnow(),
        }
        return self._conn.execute(_link_upsert(self._dialect), row).first() is not None

    def story_link(self, article_id: int) -> StoryLink | None:
        """The link placing the article (or, for a near-duplicate, its canonical) in a story."""
        holders = self._link_holders(article_id)
        query = select(story_articles).where(story_articles.c.article_id.in_(holders))
        rows = {row.article_id: row for row in self._conn.execute(query)}
        found = next((rows[h] for h in holders if h in rows), None)
        return None if found is None else _link(found)

    def story_of(self, article_id: int) -> int | None:
        """The story of the article, through duplicate_of; None when it is in none yet."""
        link = self.story_link(article_id)
        return None if link is None else link.story_id

    def stories_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        """story_of for many articles in two queries: id -> story id, ids in no story left out."""
        return {i: link.story_id for i, link in self.story_links(article_ids).items()}

    def story_links(self, article_ids: Sequence[int]) -> dict[int, StoryLink]:
        """story_link for many articles in two queries; ids in no story are left out."""
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        holder = {i: i for i in wanted}
        dup = select(articles.c.id, articles.c.duplicate_of).where(
            articles.c.id.in_(wanted), articles.c.duplicate_of.is_not(None)
        )
        for row in self._conn.execute(dup):
            holder[row.id] = row.duplicate_of
        query = select(story_articles).where(
            story_articles.c.article_id.in_(set(wanted) | set(holder.values()))
        )
        rows = {row.article_id: row for row in self._conn.execute(query)}
        found = {}
        for i in wanted:
            link = rows.get(i, rows.get(holder[i]))
            if link is not None:
                found[i] = _link(link)
        return found

    def story_coverage(
        self, story_id: int, *, limit: int, offset: int = 0, newest_first: bool = False
    ) -> list[CoverageRow]:
        """One page of a story's canonical articles (current id), in story_members' order (or
        newest first, undated last), with why each belongs: one query, however large the story."""
        params = {"story_id": story_id, "limit": max(0, limit), "offset": max(0, offset)}
        rows = self._conn.execute(_coverage_query(newest_first), params)
        return [
            CoverageRow(
                id=row.id,
                source=row.source,
                title=row.title,
                url=row.url,
                published=row.published,
                published_approx=bool(row.published_approx),
                modified=row.modified,
                lang=row.lang,
                reason=row.reason,
                similarity=float(row.similarity),
            )
            for row in rows
        ]

    def story_sizes(self, story_ids: Sequence[int]) -> dict[int, int]:
        """How many canonical articles each story (current ids) holds, in one query; a story
        with none is left out. The one article count of cards, story pages and the API."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        query = (
            select(story_articles.c.story_id, func.count())
            .join(articles, articles.c.id == story_articles.c.article_id)
            .where(story_articles.c.story_id.in_(wanted), articles.c.duplicate_of.is_(None))
            .group_by(story_articles.c.story_id)
        )
        return {row[0]: int(row[1]) for row in self._conn.execute(query)}

    def story_points(self, story_id: int) -> list[tuple[str, datetime]]:
        """(source, published) of every dated article of a story (current id) and of every
        other place one was published (sightings elsewhere): the coverage chart's dots, the
        articles first; one statement."""
        rows = self._conn.execute(_story_points_query(), {"story_id": story_id})
        return [(row[0], row[1]) for row in rows]

    def story_members(self, story_id: int) -> list[StoredArticle]:
        """The canonical articles of a story (id or alias), by published (undated last), then id."""
        return self.get_articles(self.story_member_ids(story_id))

    def story_member_ids(self, story_id: int) -> list[int]:
        """The ids of story_members(story_id), in its order (for reads that need no text)."""
        current = follow_alias(self._conn, story_id)
        if self._conn.execute(select(stories.c.id).where(stories.c.id == current)).first() is None:
            raise NotFoundError(f"store: no story with id {story_id}")
        query = (
            select(articles.c.id)
            .join(story_articles, story_articles.c.article_id == articles.c.id)
            .where(story_articles.c.story_id == current, articles.c.duplicate_of.is_(None))
            .order_by(nulls_last(articles.c.published.asc()), articles.c.id)
        )
        return list(self._conn.execute(query).scalars())

    def _link_holders(self, article_id: int) -> list[int]:
        """The article itself, then its canonical when it is a near-duplicate."""
        canonical = self.duplicate_of(article_id)
        return [article_id] if canonical is None else [article_id, canonical]


@cache
def _story_points_query() -> CompoundSelect[str, datetime]:
    """story_points' statement, built once: the story's dated articles, then their sightings
    by other publishers."""
    story_id: BindParameter[int] = bindparam("story_id")
    own = (
        select(articles.c.source, articles.c.published)
        .join(story_articles, story_articles.c.article_id == articles.c.id)
        .where(
            story_articles.c.story_id == story_id,
            articles.c.duplicate_of.is_(None),
            articles.c.published.is_not(None),
        )
    )
    elsewhere = (
        select(sightings.c.source, sightings.c.published)
        .join(articles, articles.c.id == sightings.c.article_id)
        .join(story_articles, story_articles.c.article_id == articles.c.id)
        .where(
            story_articles.c.story_id == story_id,
            articles.c.duplicate_of.is_(None),
            sightings.c.source != articles.c.source,
            sightings.c.published.is_not(None),
        )
    )
    return union_all(own, elsewhere)


@cache
def _coverage_query(newest_first: bool) -> Select[Any]:
    """story_coverage's statement, built once per order (a story page reads one every time)."""
    published = articles.c.published
    order = (
        (nulls_last(published.desc()), articles.c.id.desc())
        if newest_first
        else (nulls_last(published.asc()), articles.c.id)
    )
    return (
        select(
            articles.c.id,
            articles.c.source,
            articles.c.title,
            articles.c.url,
            articles.c.published,
            articles.c.published_approx,
            articles.c.modified,
            articles.c.lang,
            story_articles.c.reason,
            story_articles.c.similarity,
        )
        .join(story_articles, story_articles.c.article_id == articles.c.id)
        .where(
            story_articles.c.story_id == bindparam("story_id"), articles.c.duplicate_of.is_(None)
        )
        .order_by(*order)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
