"""Batch writes: many canonical articles, sightings and story links in a few statements each
(bulk loads, the size tests and the benchmarks); the same rows insert_article, add_sighting and
link_article write one at a time."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from sqlalchemy import delete

from newsdesk.dates import utcnow
from newsdesk.models import Brief, NewArticle, Sighting
from newsdesk.store.aliases import follow_alias
from newsdesk.store.articles import ID_BATCH, sighting_ref
from newsdesk.store.bound import Bound
from newsdesk.store.brief_codec import BRIEF_VERSION, encode_brief
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    article_vectors,
    articles,
    briefs,
    fingerprints,
    lsh_buckets,
    sightings,
    story_articles,
)
from newsdesk.store.vectors import vector_bytes


class BulkRepo(Bound):
    def insert_articles(self, new: Sequence[NewArticle]) -> list[int]:
        """Store canonical articles (fingerprint, buckets and text index too), no sightings;
        their ids in the order given."""
        if not new:
            return []
        now = utcnow()
        rows = [
            {
                "source": a.source,
                "url": a.url,
                "canonical_url": a.canonical_url,
                "title": a.title,
                "byline": a.byline,
                "published": a.published,
                "lang": a.lang,
                "text": a.text,
                "external_id": a.external_id,
                "site_name": a.site_name,
                "image": a.image,
                "image_alt": a.image_alt,
                "created_at": now,
                "duplicate_of": None,
                "content_hash": a.fingerprint.content_hash,
                "modified": a.modified,
                "published_approx": a.published_approx,
            }
            for a in new
        ]
        stmt = articles.insert().returning(articles.c.id, sort_by_parameter_order=True)
        ids = [int(i) for i in self._conn.execute(stmt, rows).scalars()]
        pairs = list(zip(ids, new, strict=True))
        self._conn.execute(
            fingerprints.insert(),
            [{"article_id": i, "signature": a.fingerprint.signature} for i, a in pairs],
        )
        buckets = [
            {"key": key, "article_id": i}
            for i, a in pairs
            for key in dict.fromkeys(a.fingerprint.band_keys)
        ]
        if buckets:
            self._conn.execute(lsh_buckets.insert(), buckets)
        self._dialect.index_texts(self._conn, [(i, a.title, a.text) for i, a in pairs])
        return ids

    def add_enrichments(
        self,
        done: Sequence[tuple[int, Brief, np.ndarray, Sequence[str], Sequence[tuple[str, str]]]],
        model: str,
    ) -> None:
        """Store (or replace) the (article_id, brief, vector, tags, entities) of many articles,
        a few statements in all: the rows save_brief, save_vector and save_tags write."""
        if not done:
            return
        now = utcnow()
        encoded: dict[int, str] = {}  # a brief object repeated in the batch is encoded once
        brief_rows = []
        for i, brief, *_ in done:
            if id(brief) not in encoded:
                encoded[id(brief)] = encode_brief(brief)
            brief_rows.append(
                {
                    "article_id": i,
                    "story_id": None,
                    "kind": "article",
                    "json": encoded[id(brief)],
                    "version": BRIEF_VERSION,
                    "created_at": now,
                }
            )
        upsert = self._dialect.upsert
        self._conn.execute(
            upsert(briefs, ["article_id"], ["json", "version", "created_at"]), brief_rows
        )
        self._conn.execute(
            upsert(article_vectors, ["article_id"], ["model", "vector"]),
            [{"article_id": i, "model": model, "vector": vector_bytes(v)} for i, _, v, *_ in done],
        )
        ids = list(dict.fromkeys(i for i, *_ in done))
        for start in range(0, len(ids), ID_BATCH):
            chunk = ids[start : start + ID_BATCH]
            self._conn.execute(delete(article_tags).where(article_tags.c.article_id.in_(chunk)))
            self._conn.execute(
                delete(article_entities).where(article_entities.c.article_id.in_(chunk))
            )
        tags = [
            {"article_id": i, "tag": tag}
            for i, _, _, names, _ in done
            for tag in dict.fromkeys(t.strip() for t in names if t and t.strip())
        ]
        if tags:
            self._conn.execute(article_tags.insert(), tags)
        entities = [
            {"article_id": i, "name": n, "type": t}
            for i, _, _, _, pairs in done
            for n, t in dict.fromkeys((n.strip(), t.strip()) for n, t in pairs)
            if n and t
        ]
        if entities:
            self._conn.execute(article_entities.insert(), entities)

    def add_sightings(self, seen: Sequence[tuple[int, Sighting]]) -> None:
        """Record many (article_id, sighting) pairs; a ref an article has already is skipped."""
        if not seen:
            return
        rows = [
            {
                "article_id": article_id,
                "ref": sighting_ref(s),
                "source": s.source,
                "url": s.url,
                "title": s.title,
                "published": s.published,
                "seen_at": s.seen_at,
            }
            for article_id, s in seen
        ]
        stmt = self._dialect.insert(sightings).on_conflict_do_nothing(
            index_elements=["article_id", "ref"]
        )
        self._conn.execute(stmt, rows)

    def link_new_articles(
        self,
        story_id: int,
        article_ids: Sequence[int],
        *,
        similarity: float,
        shared_entities: Sequence[str] = (),
        reason: str,
    ) -> None:
        """Place articles that are in no story yet into the story (an alias means its story)."""
        if not article_ids:
            return
        current = follow_alias(self._conn, story_id)
        entities = json.dumps(list(shared_entities), ensure_ascii=False)
        now = utcnow()
        self._conn.execute(
            story_articles.insert(),
            [
                {
                    "article_id": i,
                    "story_id": current,
                    "similarity": float(similarity),
                    "shared_entities": entities,
                    "reason": reason,
                    "pinned": False,
                    "added_at": now,
                }
                for i in article_ids
            ],
        )
