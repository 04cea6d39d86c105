"""Read queries for the browsing pages: articles by tag, entity or source; an entity's stories."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, nulls_last, select

from newsdesk.store.articles import ArticleRepo
from newsdesk.store.catalog import ARTICLE_ROW_COLUMNS, ArticleRow, article_row
from newsdesk.store.schema import article_entities, article_tags, articles, story_articles

PAGE = 30


class ListingRepo(ArticleRepo):
    def articles_by_tag(self, tag: str, *, limit: int = PAGE, offset: int = 0) -> list[ArticleRow]:
        """Canonical articles tagged tag ("#Ukraine" or "Ukraine"), newest first."""
        names = {tag, "#" + tag.lstrip("#")}
        ids = select(article_tags.c.article_id).where(article_tags.c.tag.in_(names))
        return self._canonical_in(articles.c.id.in_(ids), limit, offset)

    def articles_by_entity(
        self, name: str, *, limit: int = PAGE, offset: int = 0
    ) -> list[ArticleRow]:
        """Canonical articles naming the entity (any type), newest first."""
        ids = select(article_entities.c.article_id).where(article_entities.c.name == name)
        return self._canonical_in(articles.c.id.in_(ids), limit, offset)

    def articles_by_source(
        self, source: str, *, limit: int = PAGE, offset: int = 0
    ) -> list[ArticleRow]:
        """Canonical articles published by source, newest first."""
        return self._canonical_in(articles.c.source == source, limit, offset)

    def count_by_source(self, source: str) -> int:
        """How many canonical articles source published: the rows articles_by_source pages."""
        query = (
            select(func.count())
            .select_from(articles)
            .where(articles.c.source == source, articles.c.duplicate_of.is_(None))
        )
        return int(self._conn.execute(query).scalar() or 0)

    def entity_types(self, name: str) -> list[str]:
        """The types the entity was tagged with (PERSON, ORG, PLACE, ...), most used first."""
        query = (
            select(article_entities.c.type, func.count().label("n"))
            .where(article_entities.c.name == name)
            .group_by(article_entities.c.type)
            .order_by(func.count().desc(), article_entities.c.type)
        )
        return [row.type for row in self._conn.execute(query)]

    def stories_of_entity(self, name: str, *, limit: int = PAGE) -> list[int]:
        """Ids of the stories whose articles name the entity, most articles first."""
        query = (
            select(story_articles.c.story_id, func.count().label("n"))
            .join(
                article_entities,
                article_entities.c.article_id == story_articles.c.article_id,
            )
            .where(article_entities.c.name == name)
            .group_by(story_articles.c.story_id)
            .order_by(func.count().desc(), story_articles.c.story_id.desc())
            .limit(max(0, limit))
        )
        return [row.story_id for row in self._conn.execute(query)]

    def _canonical_in(
        self, where: ColumnElement[bool], limit: int, offset: int
    ) -> list[ArticleRow]:
        query = (
            select(*ARTICLE_ROW_COLUMNS)
            .where(where, articles.c.duplicate_of.is_(None))
            .order_by(nulls_last(articles.c.published.desc()), articles.c.id.desc())
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        # One query: a list shows no text and no sightings, so it reads neither.
        return [article_row(row) for row in self._conn.execute(query)]
