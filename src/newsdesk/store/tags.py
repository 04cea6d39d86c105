"""Article tags and named entities, for tag and entity pages and related-article candidates."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import (
    Select,
    bindparam,
    delete,
    func,
    nulls_last,
    select,
    union_all,
)

from newsdesk.store.articles import ArticleRepo
from newsdesk.store.dialect import StoreDialect
from newsdesk.store.schema import article_entities, article_tags, articles

POSTINGS_PER_SIDE = 60  # candidates per tag or name on each side of the article
SHORTLIST = 4  # candidates ranked by overlap alone, per candidate asked for
MAX_KEYS = 10  # tags, and entity names, asked about: the first (most salient) ones


# tags_of's statements, built once (pages read an article's tags with its row: page_reads).
_TAGS_OF = (
    select(article_tags.c.tag)
    .where(article_tags.c.article_id == bindparam("article_id"))
    .order_by(article_tags.c.tag)
)
_ENTITIES_OF = (
    select(article_entities.c.name, article_entities.c.type)
    .where(article_entities.c.article_id == bindparam("article_id"))
    .order_by(article_entities.c.name, article_entities.c.type)
)


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
        params = {"article_id": article_id}
        tags = self._conn.execute(_TAGS_OF, params).scalars()
        entities = self._conn.execute(_ENTITIES_OF, params)
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
        tags, names = _clean(tags)[:MAX_KEYS], _clean(entities)[:MAX_KEYS]
        if not (tags or names) or limit <= 0:
            return []
        canonical = self.duplicate_of(article_id)
        params: dict[str, object] = {"article_id": article_id, "limit": limit}
        params["shortlist"] = SHORTLIST * limit
        # Two fixed slots, not an expanding list: an expanding parameter is spliced into the
        # statement's SQL text on every call.
        params["excluded"] = article_id
        params["excluded_too"] = article_id if canonical is None else canonical
        params.update(self._dialect.key_params("tags", tags, MAX_KEYS))
        params.update(self._dialect.key_params("names", names, MAX_KEYS))
        query = candidates_query(self._dialect)
        return [(row.article_id, row.overlap) for row in self._conn.execute(query, params)]


@functools.cache
def candidates_query(dialect: StoreDialect) -> Select[tuple[int, int]]:
    """The related-candidates statement, built once per dialect with bind parameters (building
    it per call cost more than running it): the articles filed under the most keys among the
    POSTINGS_PER_SIDE nearest in id on each side for each key (a common name, "United States",
    is filed under tens of thousands of articles, and counting them all made related articles
    the costliest read of a page: 70 ms at 100,000 articles)."""
    hits = [
        dialect.postings(article_tags.c.tag, "tags", MAX_KEYS, POSTINGS_PER_SIDE),
        dialect.postings(article_entities.c.name, "names", MAX_KEYS, POSTINGS_PER_SIDE),
    ]
    found = union_all(*(select(h.c.article_id, h.c.key) for h in hits)).subquery("found")
    # Each (article, key) once (a name filed under two types is one shared name), then counted:
    # hashed twice, where count(DISTINCT key) sorted every group (2.1 -> 1.7 ms at 10^5).
    pairs = select(found.c.article_id, found.c.key).distinct().subquery("pairs")
    shared = func.count()
    # The best few by overlap (newest id first on ties) before reading their article rows:
    # thousands of candidates share one name, and each row read costs more than the count.
    overlap = (
        select(pairs.c.article_id, shared.label("overlap"))
        .group_by(pairs.c.article_id)
        .order_by(shared.desc(), pairs.c.article_id.desc())
        .limit(bindparam("shortlist"))
        .subquery("overlap")
    )
    return (
        select(overlap.c.article_id, overlap.c.overlap)
        .join(articles, articles.c.id == overlap.c.article_id)
        .where(
            articles.c.duplicate_of.is_(None),
            articles.c.id != bindparam("excluded"),
            articles.c.id != bindparam("excluded_too"),
        )
        .order_by(overlap.c.overlap.desc(), nulls_last(articles.c.published.desc()), articles.c.id)
        .limit(bindparam("limit"))
    )
