"""Paged listings for the API: canonical articles with filters, tag and entity counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, nulls_last, select

from newsdesk.store.articles import ID_BATCH
from newsdesk.store.bound import Bound
from newsdesk.store.images import PictureRef, picture_shown
from newsdesk.store.schema import article_entities, article_tags, articles, stories


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One canonical article on a list: no text, no sightings."""

    id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    lang: str | None
    created_at: datetime
    published_approx: bool = False
    modified: datetime | None = None
    picture: PictureRef | None = None  # its lead image, unless the image proxy refused it


# What a list of articles reads of each one: never the text or the sightings. Whether its
# picture is shown comes in the same row (images.picture_shown), so a list of cards is one
# statement, not a second one for the pictures.
ARTICLE_ROW_COLUMNS = (
    articles.c.id,
    articles.c.title,
    articles.c.source,
    articles.c.url,
    articles.c.published,
    articles.c.lang,
    articles.c.created_at,
    articles.c.published_approx,
    articles.c.modified,
    articles.c.image_alt,
    picture_shown().label("pictured"),
)


def article_row(row: Row[*tuple[Any, ...]]) -> ArticleRow:
    values = dict(row._mapping)
    values["published_approx"] = bool(values["published_approx"])
    alt, pictured = values.pop("image_alt"), values.pop("pictured")
    values["picture"] = PictureRef(values["id"], alt) if pictured else None
    return ArticleRow(**values)


@dataclass(frozen=True, slots=True)
class NameCount:
    """A tag or an entity with the number of canonical articles carrying it."""

    name: str
    type: str | None
    articles: int


def _article_filters(
    source: str | None, lang: str | None, tag: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [articles.c.duplicate_of.is_(None)]
    if source is not None:
        where.append(articles.c.source == source)
    if lang is not None:
        where.append(articles.c.lang == lang)
    if tag is not None:
        names = {tag, "#" + tag.lstrip("#")}  # "#Ukraine" or "Ukraine"
        tagged = select(article_tags.c.article_id).where(article_tags.c.tag.in_(names))
        where.append(articles.c.id.in_(tagged))
    return where


class CatalogRepo(Bound):
    def list_articles(
        self,
        *,
        source: str | None = None,
        lang: str | None = None,
        tag: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[ArticleRow]:
        """Canonical articles, newest published first (undated last), filtered exactly."""
        query = (
            select(*ARTICLE_ROW_COLUMNS)
            .where(*_article_filters(source, lang, tag))
            .order_by(nulls_last(articles.c.published.desc()), articles.c.id.desc())
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return [article_row(row) for row in self._conn.execute(query)]

    def article_rows(self, article_ids: Sequence[int]) -> list[ArticleRow]:
        """The list rows of these articles (as list_articles reads them), in the order given;
        ids with no article are left out. One query per ID_BATCH ids."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[int, ArticleRow] = {}
        for start in range(0, len(wanted), ID_BATCH):
            chunk = wanted[start : start + ID_BATCH]
            query = select(*ARTICLE_ROW_COLUMNS).where(articles.c.id.in_(chunk))
            found.update((r.id, r) for r in map(article_row, self._conn.execute(query)))
        return [found[i] for i in wanted if i in found]

    def count_articles(
        self,
        *,
        source: str | None = None,
        lang: str | None = None,
        tag: str | None = None,
        at_most: int | None = None,
    ) -> int:
        """Canonical articles passing the filters; with at_most, counting stops past it (it
        reads at most at_most + 1 index entries, not the whole archive)."""
        found = select(articles.c.id).where(*_article_filters(source, lang, tag))
        # In the listing's order: the rows come from its index (the heap rows, 20 KB an
        # article, cost a sequential read of 10,001 of them 24 ms at 10^6).
        newest = (nulls_last(articles.c.published.desc()), articles.c.id.desc())
        return self._count(found, at_most, newest)

    def count_stories(self, *, at_most: int | None = None) -> int:
        """Stories; with at_most, counting stops past it."""
        return self._count(select(stories.c.id), at_most, (stories.c.id,))

    def _count(self, rows: Select[tuple[int]], at_most: int | None, order: tuple[Any, ...]) -> int:
        if at_most is not None:
            rows = rows.order_by(*order).limit(at_most + 1)
        query = select(func.count()).select_from(rows.subquery())
        return int(self._conn.execute(query).scalar_one())

    def list_tags(self, *, limit: int = 50, offset: int = 0) -> list[NameCount]:
        """Tags by how many canonical articles carry them, then by name."""
        n = func.count().label("n")
        query: Select[tuple[str, int]] = (
            select(article_tags.c.tag, n)
            .join(articles, articles.c.id == article_tags.c.article_id)
            .where(articles.c.duplicate_of.is_(None))
            .group_by(article_tags.c.tag)
            .order_by(n.desc(), article_tags.c.tag)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return [NameCount(row.tag, None, row.n) for row in self._conn.execute(query)]

    def count_tags(self) -> int:
        query = select(func.count(article_tags.c.tag.distinct()))
        return int(self._conn.execute(query).scalar_one())

    def list_entities(
        self, *, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[NameCount]:
        """(name, type) entities by how many canonical articles mention them, then by name."""
        n = func.count().label("n")
        ent = article_entities
        query = (
            select(ent.c.name, ent.c.type, n)
            .join(articles, articles.c.id == ent.c.article_id)
            .where(articles.c.duplicate_of.is_(None))
        )
        if type is not None:
            query = query.where(ent.c.type == type)
        query = (
            query.group_by(ent.c.name, ent.c.type)
            .order_by(n.desc(), ent.c.name, ent.c.type)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return [NameCount(row.name, row.type, row.n) for row in self._conn.execute(query)]
