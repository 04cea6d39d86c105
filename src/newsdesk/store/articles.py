"""Articles, their sightings and the dedup state (hashes, MinHash signatures, LSH buckets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, func, or_, select

from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError
from newsdesk.models import NewArticle, Sighting, StoredArticle
from newsdesk.store.bound import Bound
from newsdesk.store.schema import (
    article_vectors,
    articles,
    briefs,
    fingerprints,
    lsh_buckets,
    sightings,
    story_articles,
)

# Under SQLite's bound-parameter limit with room to spare.
ID_BATCH = 500


def sighting_ref(sighting: Sighting) -> str:
    """The identity of a sighting within its article: its ref, else its URL, else source|title."""
    return sighting.ref or sighting.url or f"{sighting.source}|{sighting.title}"


def _sighting(row: Row[Any]) -> Sighting:
    return Sighting(
        source=row.source,
        url=row.url,
        title=row.title,
        seen_at=row.seen_at,
        published=row.published,
        ref=row.ref,
    )


def _article(row: Row[Any], seen: Sequence[Sighting]) -> StoredArticle:
    return StoredArticle(
        id=row.id,
        source=row.source,
        title=row.title,
        text=row.text,
        url=row.url,
        canonical_url=row.canonical_url,
        byline=row.byline,
        published=row.published,
        lang=row.lang,
        external_id=row.external_id,
        site_name=row.site_name,
        image=row.image,
        created_at=row.created_at,
        sightings=tuple(seen),
        modified=row.modified,
        published_approx=bool(row.published_approx),
    )


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """What a list of links needs of an article: no text, no sightings."""

    id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    created_at: datetime


class ArticleRepo(Bound):
    def article_id_by_ref(self, ref: str) -> int | None:
        """The article holding a sighting with this ref, or None."""
        query = select(func.min(sightings.c.article_id)).where(sightings.c.ref == ref)
        return self._conn.execute(query).scalar()

    def article_id_by_url(self, canonical_url: str) -> int | None:
        """The article whose canonical_url (or one of whose sightings' url) is this, or None."""
        own = (
            select(articles.c.id)
            .where(articles.c.canonical_url == canonical_url)
            .order_by(articles.c.duplicate_of.is_not(None), articles.c.id)
            .limit(1)
        )
        found: int | None = self._conn.execute(own).scalar()
        if found is not None:
            return found
        seen = select(func.min(sightings.c.article_id)).where(sightings.c.url == canonical_url)
        first: int | None = self._conn.execute(seen).scalar()
        return first

    def article_id_by_hash(self, content_hash: str) -> int | None:
        """The canonical (non-duplicate) article with this content hash, or None."""
        query = select(func.min(articles.c.id)).where(
            articles.c.content_hash == content_hash, articles.c.duplicate_of.is_(None)
        )
        return self._conn.execute(query).scalar()

    def near_candidates(
        self, band_keys: Sequence[bytes], limit: int = 50
    ) -> list[tuple[int, bytes]]:
        """(article_id, signature) of canonical articles sharing a bucket, most shared first."""
        if not band_keys:
            return []
        shared = func.count().label("shared")
        hits = (
            select(lsh_buckets.c.article_id, shared)
            .where(lsh_buckets.c.key.in_(list(dict.fromkeys(band_keys))))
            .group_by(lsh_buckets.c.article_id)
            .subquery("hits")
        )
        query = (
            select(fingerprints.c.article_id, fingerprints.c.signature)
            .select_from(
                hits.join(fingerprints, fingerprints.c.article_id == hits.c.article_id).join(
                    articles, articles.c.id == hits.c.article_id
                )
            )
            .where(articles.c.duplicate_of.is_(None))
            .order_by(hits.c.shared.desc(), hits.c.article_id)
            .limit(limit)
        )
        return [(row.article_id, bytes(row.signature)) for row in self._conn.execute(query)]

    def insert_article(self, article: NewArticle, *, duplicate_of: int | None = None) -> int:
        """Store an article, no sightings; a canonical one also gets fingerprint, buckets, text."""
        values = {
            "source": article.source,
            "url": article.url,
            "canonical_url": article.canonical_url,
            "title": article.title,
            "byline": article.byline,
            "published": article.published,
            "lang": article.lang,
            "text": article.text,
            "external_id": article.external_id,
            "site_name": article.site_name,
            "image": article.image,
            "created_at": utcnow(),
            "duplicate_of": duplicate_of,
            "content_hash": article.fingerprint.content_hash,
        }
        if article.modified is not None:  # 0006's columns only when set: older stores insert too
            values["modified"] = article.modified
        if article.published_approx:
            values["published_approx"] = True
        if article.image_alt:  # 0010
            values["image_alt"] = article.image_alt
        result = self._conn.execute(articles.insert().returning(articles.c.id), values)
        article_id: int = result.scalar_one()
        if duplicate_of is None:
            fp = article.fingerprint
            self._conn.execute(
                fingerprints.insert(), {"article_id": article_id, "signature": fp.signature}
            )
            keys = list(dict.fromkeys(fp.band_keys))  # a repeated key would break the primary key
            if keys:
                self._conn.execute(
                    lsh_buckets.insert(), [{"key": k, "article_id": article_id} for k in keys]
                )
            self._dialect.index_text(self._conn, article_id, article.title, article.text)
        return article_id

    def add_sighting(self, article_id: int, sighting: Sighting) -> bool:
        """Record where an article was seen; False (no change) when that ref is already there."""
        stmt = (
            self._dialect.insert(sightings)
            .values(
                article_id=article_id,
                ref=sighting_ref(sighting),
                source=sighting.source,
                url=sighting.url,
                title=sighting.title,
                published=sighting.published,
                seen_at=sighting.seen_at,
            )
            .on_conflict_do_nothing(index_elements=["article_id", "ref"])
            .returning(sightings.c.id)
        )
        # RETURNING, not rowcount: PostgreSQL drivers report -1 for a statement that returns rows.
        return self._conn.execute(stmt).scalar() is not None

    def get_article(self, article_id: int) -> StoredArticle:
        """The article with its sightings (by seen_at, id); NotFoundError when there is none."""
        row = self._conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            raise NotFoundError(f"store: no article with id {article_id}")
        return _article(row, self._sightings_of([article_id])[article_id])

    def duplicate_of(self, article_id: int) -> int | None:
        """The canonical article this one duplicates, or None; NotFoundError when there is none."""
        query = select(articles.c.id, articles.c.duplicate_of).where(articles.c.id == article_id)
        row = self._conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"store: no article with id {article_id}")
        canonical: int | None = row.duplicate_of
        return canonical

    def get_articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """The articles with these ids, in the order given; ids with no article are left out."""
        wanted = list(dict.fromkeys(article_ids))
        rows: dict[int, Row[Any]] = {}
        for start in range(0, len(wanted), ID_BATCH):
            chunk = wanted[start : start + ID_BATCH]
            for row in self._conn.execute(select(articles).where(articles.c.id.in_(chunk))):
                rows[row.id] = row
        seen = self._sightings_of(list(rows))
        return [_article(rows[i], seen[i]) for i in wanted if i in rows]

    def article_heads(self, article_ids: Sequence[int]) -> list[ArticleHead]:
        """The heads of these articles in the order given (a fraction of get_articles' cost)."""
        wanted = list(dict.fromkeys(article_ids))
        cols = (
            articles.c.id,
            articles.c.title,
            articles.c.source,
            articles.c.url,
            articles.c.published,
            articles.c.created_at,
        )
        heads: dict[int, ArticleHead] = {}
        for start in range(0, len(wanted), ID_BATCH):
            query = select(*cols).where(articles.c.id.in_(wanted[start : start + ID_BATCH]))
            for row in self._conn.execute(query):
                heads[row.id] = ArticleHead(**row._mapping)
        return [heads[i] for i in wanted if i in heads]

    def all_canonical_ids(self) -> list[int]:
        """The id of every canonical (non-duplicate) article, ascending."""
        query = select(articles.c.id).where(articles.c.duplicate_of.is_(None))
        return list(self._conn.execute(query.order_by(articles.c.id)).scalars())

    def unfinished_among(self, ids: Sequence[int]) -> list[int]:
        """Those of these articles that are canonical and lack a brief, a vector or a story:
        what a run stopped between storing and enriching (kill -9) leaves behind."""
        unfinished: list[int] = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = select(articles.c.id).where(
                articles.c.id.in_(chunk),
                articles.c.duplicate_of.is_(None),
                or_(
                    ~exists().where(briefs.c.article_id == articles.c.id),
                    ~exists().where(article_vectors.c.article_id == articles.c.id),
                    ~exists().where(story_articles.c.article_id == articles.c.id),
                ),
            )
            unfinished.extend(self._conn.execute(query.order_by(articles.c.id)).scalars())
        return unfinished

    def iter_articles(self, *, batch: int = 500) -> Iterator[tuple[StoredArticle, int | None]]:
        """Every article in id order with its duplicate_of, read batch rows at a time."""
        after = 0
        while True:
            query = select(articles).where(articles.c.id > after).order_by(articles.c.id)
            rows = self._conn.execute(query.limit(max(1, batch))).all()
            if not rows:
                return
            seen = self._sightings_of([row.id for row in rows])
            for row in rows:
                yield _article(row, seen[row.id]), row.duplicate_of
            after = rows[-1].id

    def _sightings_of(self, article_ids: Sequence[int]) -> dict[int, list[Sighting]]:
        found: dict[int, list[Sighting]] = defaultdict(list)
        for start in range(0, len(article_ids), ID_BATCH):
            query = (
                select(sightings)
                .where(sightings.c.article_id.in_(article_ids[start : start + ID_BATCH]))
                .order_by(sightings.c.article_id, sightings.c.seen_at, sightings.c.id)
            )
            for row in self._conn.execute(query):
                found[row.article_id].append(_sighting(row))
        return found
