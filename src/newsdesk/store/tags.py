"""Article tags and named entities, for tag and entity pages and related-article candidates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, nulls_last, select, union_all

from newsdesk.store.articles import ArticleRepo
from newsdesk.store.schema import article_entities, article_tags, articles


def _clean(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


class TagRepo(ArticleRepo):
    def save_tags(
        self, article_id: int, tags: Sequence[str], entities: Sequence[tuple[str, str]]
    ) -> None:
        """Replace the article's tags and its (name, type) entities; blanks and repeats dropped."""
        self._conn.execute(delete(article_tags).where(article_tags.c.article_id == article_id))
        self._conn.execute(
            delete(article_entities).where(article_entities.c.article_id == article_id)
        )
        rows = [{"article_id": article_id, "tag": tag} for tag in _clean(tags)]
        if rows:
            self._conn.execute(article_tags.insert(), rows)
        pairs = dict.fromkeys(
            (n.strip(), t.strip()) for n, t in entities if n.strip() and t.strip()
        )
        if pairs:
            self._conn.execute(
                article_entities.insert(),
                [{"article_id": article_id, "name": n, "type": t} for n, t in pairs],
            )

    def tags_of(self, article_id: int) -> tuple[list[str], list[tuple[str, str]]]:
        """The article's tags and (name, type) entities, each sorted."""
        tags = self._conn.execute(
            select(article_tags.c.tag)
            .where(article_tags.c.article_id == article_id)
            .order_by(article_tags.c.tag)
        ).scalars()
        entities = self._conn.execute(
            select(article_entities.c.name, article_entities.c.type)
            .where(article_entities.c.article_id == article_id)
            .order_by(article_entities.c.name, article_entities.c.type)
        )
        return list(tags), [(row.name, row.type) for row in entities]

    def related_candidates(
        self,
        article_id: int,
        *,
        tags: Sequence[str],
        entities: Sequence[str],
        limit: int = 50,
    ) -> list[tuple[int, int]]:
        """(article_id, shared tags + shared entity names) of other canonical articles, most first.

        The article itself, its near-duplicates and (for a duplicate) its canonical are left out;
        ties go to the most recently published.
        """
        tags, names = _clean(tags), _clean(entities)
        if not (tags or names) or limit <= 0:
            return []
        canonical = self.duplicate_of(article_id)
        hits = []
        if tags:
            hits.append(
                select(article_tags.c.article_id, article_tags.c.tag.label("key")).where(
                    article_tags.c.tag.in_(tags)
                )
            )
        if names:
            # One hit per name, whatever types it was tagged with.
            hits.append(
                select(article_entities.c.article_id, article_entities.c.name.label("key"))
                .where(article_entities.c.name.in_(names))
                .distinct()
            )
        found = union_all(*hits).subquery("found")
        overlap = (
            select(found.c.article_id, func.count().label("overlap"))
            .group_by(found.c.article_id)
            .subquery("overlap")
        )
        excluded = [article_id] if canonical is None else [article_id, canonical]
        query = (
            select(overlap.c.article_id, overlap.c.overlap)
            .join(articles, articles.c.id == overlap.c.article_id)
            .where(articles.c.duplicate_of.is_(None), articles.c.id.not_in(excluded))
            .order_by(
                overlap.c.overlap.desc(), nulls_last(articles.c.published.desc()), articles.c.id
            )
            .limit(limit)
        )
        return [(row.article_id, row.overlap) for row in self._conn.execute(query)]
