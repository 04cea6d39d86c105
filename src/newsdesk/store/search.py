"""Search over canonical articles: full text, and hybrid (full text and semantic, fused by
reciprocal rank and grouped by story so that one event is one result).

User queries are reduced to plain terms for full text; the semantic side embeds the query with
the articles' model and asks the ANN index (store/ann.py) for the nearest stored vectors. Both
sides take the same filters (source, language, dates, section); how each constant was chosen
is in docs/search_quality.md.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, func, or_, select

from newsdesk.errors import NewsdeskError
from newsdesk.models import SearchHit
from newsdesk.store.ann import FIRST_BUILD_WAIT, VectorIndex
from newsdesk.store.articles import ID_BATCH
from newsdesk.store.bound import Bound
from newsdesk.store.headline import HEADLINE_CHARS, headline
from newsdesk.store.schema import article_vectors, articles, stories, story_articles

log = logging.getLogger(__name__)

MAX_TERMS = 16
MAX_TERM_CHARS = 200
MAX_PLAIN_CHARS = 2000
EMBED_THREADS = 2  # queries embedded at once per process (each takes one core for ~4 ms)
# Words only: quotes, *, :, -, ^, parentheses and the like are syntax to FTS5 and tsquery.
_WORD = re.compile(r"\w+", re.UNICODE)
# Operators a user may type in capitals ("lava AND town"): dropped, the terms are ANDed anyway.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def plain_query(query: str) -> str:
    """The user's text minus operator words and NULs, capped, for a database's own parser.

    PostgreSQL tokenizes "RTO-4" or "e-mail" its own way; handing it the text, not our terms,
    makes a query split exactly as the indexed documents were (plainto_tsquery has no syntax).
    """
    # Overlong words are no danger there: PostgreSQL skips them with a notice.
    chunks = (w for w in (query or "").replace("\x00", " ").split() if w not in _OPERATORS)
    return " ".join(chunks)[:MAX_PLAIN_CHARS]


def query_terms(query: str) -> list[str]:
    """The plain search terms of a user's query: words, lower-cased, no syntax, deduplicated."""
    # An overlong word is dropped, not cut: a cut word would match nothing and sink the query.
    words = (
        w.lower()
        for w in _WORD.findall(query or "")
        if w not in _OPERATORS and len(w) <= MAX_TERM_CHARS
    )
    return list(dict.fromkeys(w for w in words if w.strip("_")))[:MAX_TERMS]


Mode = Literal["hybrid", "text", "semantic"]
MODES: tuple[Mode, ...] = ("hybrid", "text", "semantic")
# Reciprocal rank fusion: an article's score is the sum over the sides that found it of
# 1 / (RRF_K + its rank there). 60 is the usual constant; on the dev queries 10-100 tied.
RRF_K = 60
# A semantic neighbour less similar than this is no match (cosine of MiniLM vectors): below
# it, nonsense queries still "find" articles. Chosen on the dev queries (docs/search_quality.md).
MIN_SIMILARITY = 0.35
POOL = 100  # articles each side ranks for a page of results (more for a deep page)
MAX_NEIGHBOURS = 10_000  # how far the semantic side widens when filters leave too few
LEAD_CHARS = 300  # a semantic-only hit's snippet: the start of its text


@dataclass(frozen=True, slots=True)
class StoryHit:
    """One result of a hybrid search: a story (or a lone article) and its best matching article."""

    hit: SearchHit  # the best article; rank is its fused score
    story_id: int | None
    others: int  # the story's other articles
    matched: tuple[str, ...]  # which sides found the best article: "text", "semantic"
    similarity: float | None  # its cosine to the query, when the semantic side found it


class SearchRepo(Bound):
    def search(
        self,
        query: str,
        *,
        source: str | None = None,
        lang: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Canonical articles matching every term, best first, with a [marked] snippet.

        Filters: source and lang exactly; published in [since, until). Any text is a valid query.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        where = _filters(source, lang, since, until, None)
        # Two queries, not one: wrapped as a subquery, SQLite materializes the FTS5 query and
        # takes 15x longer (900 ms vs 60 ms for a common word at 100k articles).
        found = self._conn.execute(
            self._dialect.search(terms, plain_query(query), where, limit, max(0, offset))
        ).all()
        info = {
            row.id: row
            for row in self._conn.execute(
                select(*_HEAD, _TEXT).where(articles.c.id.in_([hit.id for hit in found]))
            )
        }
        ordered = sorted(found, key=lambda hit: (-float(hit.rank), hit.id))
        return [
            _hit(info[hit.id], headline(info[hit.id].title, info[hit.id].text, terms), hit.rank)
            for hit in ordered
        ]

    def search_stories(
        self,
        query: str,
        *,
        vector: npt.NDArray[np.float32] | None = None,
        index: VectorIndex | None = None,
        index_wait: float | None = FIRST_BUILD_WAIT,
        mode: Mode = "hybrid",
        source: str | None = None,
        lang: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        section: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[StoryHit]:
        """Stories matching query, best first, one result per story (its best article): at most
        limit + 1 of them, the one past limit telling the caller that a next page exists.

        mode "text" ranks by full text only, "semantic" by the query's vector only, "hybrid" fuses
        both by reciprocal rank. index is the ANN index over the stored vectors (without it the
        semantic side finds nothing) and vector the query embedded with their model (embedded
        here when not given); a process's first search waits index_wait seconds at most for the
        index to load or build (None: until it is ready) and answers by full text past that.
        Filters: source and lang exactly, published in [since, until), section (or country) of
        the story. A semantic side that fails (a broken index) is logged and left out: text
        still answers.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        where = _filters(source, lang, since, until, section)
        pool = max(POOL, 3 * (offset + limit))
        semantic = mode != "text" and index is not None
        embedding: Future[npt.NDArray[np.float32] | None] | None = None
        held = index is not None and len(index) > 0  # then no need to ask the store
        if semantic and vector is None and (held or self._any_vectors()):
            # The model loads only when there is something to compare with; it embeds the
            # query on a thread of its own while the database answers the full-text side.
            embedding = _embedder_pool().submit(embed_query, query)
        text: list[tuple[int, float]] = []  # (article id, rank), best first
        story_of: dict[int, int] = {}  # each found article's story (both sides read it)
        if mode != "semantic":
            found = self._conn.execute(
                self._dialect.search(terms, plain_query(query), where, pool, 0)
            ).all()
            ordered = sorted(found, key=lambda hit: (-float(hit.rank), hit.id))
            text = [(hit.id, float(hit.rank)) for hit in ordered]
            story_of.update((hit.id, hit.story_id) for hit in found if hit.story_id is not None)
        near: list[tuple[int, float]] = []
        if embedding is not None:
            vector = embedding.result()
        if semantic and vector is not None and index is not None:
            try:
                near = self._nearest(vector, index, index_wait, where, pool, story_of)
            except Exception as exc:  # a broken index must never break search
                _warn_once(f"search: semantic side left out ({type(exc).__name__}: {exc})")
        return self._grouped(terms, text, near, story_of, limit, offset)

    def _any_vectors(self) -> bool:
        query = select(article_vectors.c.article_id).limit(1)
        return self._conn.execute(query).first() is not None

    def _nearest(
        self,
        vector: npt.NDArray[np.float32],
        index: VectorIndex,
        wait: float | None,
        where: Sequence[ColumnElement[bool]],
        pool: int,
        story_of: dict[int, int],
    ) -> list[tuple[int, float]]:
        """(article id, similarity) of the nearest canonical articles that pass the filters:
        widened tenfold while filters or near-duplicates leave fewer than pool. Their stories
        go into story_of."""
        k = pool
        while True:
            near = [
                n
                for n in index.nearest(self._conn, vector, k, wait=wait)
                if n.similarity >= MIN_SIMILARITY
            ]
            kept = self._canonical_of([n.article_id for n in near], where, story_of)
            found = [(n.article_id, n.similarity) for n in near if n.article_id in kept]
            if len(found) >= pool or len(near) < k or k >= MAX_NEIGHBOURS:
                return found[:pool]
            k = min(10 * k, MAX_NEIGHBOURS)

    def _canonical_of(
        self, ids: list[int], where: Sequence[ColumnElement[bool]], story_of: dict[int, int]
    ) -> set[int]:
        """Those of ids that are canonical and pass the filters; their stories into story_of."""
        kept: set[int] = set()
        in_story = articles.outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
        for start in range(0, len(ids), ID_BATCH):
            query = (
                select(articles.c.id, story_articles.c.story_id)
                .select_from(in_story)
                .where(
                    self._dialect.among(articles.c.id, ids[start : start + ID_BATCH]),
                    articles.c.duplicate_of.is_(None),
                    *where,
                )
            )
            for row in self._conn.execute(query):
                kept.add(row.id)
                if row.story_id is not None:
                    story_of[row.id] = row.story_id
        return kept

    def _grouped(
        self,
        terms: list[str],
        text: list[tuple[int, float]],
        near: list[tuple[int, float]],
        story_of: dict[int, int],
        limit: int,
        offset: int,
    ) -> list[StoryHit]:
        """Fuse the two rankings, keep each story's best article, read the page's rows."""
        score: dict[int, float] = {}
        for rank, (article_id, _) in enumerate(text, start=1):
            score[article_id] = score.get(article_id, 0.0) + 1.0 / (RRF_K + rank)
        for rank, (article_id, _) in enumerate(near, start=1):
            score[article_id] = score.get(article_id, 0.0) + 1.0 / (RRF_K + rank)
        fused = sorted(score, key=lambda i: (-score[i], i))
        heads: list[int] = []
        seen: set[object] = set()
        for article_id in fused:
            key = story_of.get(article_id, ("article", article_id))
            if key not in seen:
                seen.add(key)
                heads.append(article_id)
        page = heads[offset : offset + limit + 1]  # one more: tells the caller a next page exists
        matched_text = {i for i, _ in text}
        similarity = dict(near)
        # The page's rows with their story's size and their texts (a text hit's headline is
        # made from it, a semantic-only hit shows its lead), in one statement.
        joined = articles.outerjoin(
            story_articles, story_articles.c.article_id == articles.c.id
        ).outerjoin(stories, stories.c.id == story_articles.c.story_id)
        rows = {
            row.id: row
            for row in self._conn.execute(
                select(*_HEAD, _TEXT, stories.c.size)
                .select_from(joined)
                .where(articles.c.id.in_(page))
            )
        }
        results = []
        for article_id in page:
            row = rows[article_id]
            story_id = story_of.get(article_id)
            found = headline(row.title, row.text, terms) if article_id in matched_text else ""
            hit = _hit(row, found or _lead(row.text[:LEAD_CHARS]), score[article_id])
            matched = tuple(
                side
                for side, found in (
                    ("text", article_id in matched_text),
                    ("semantic", article_id in similarity),
                )
                if found
            )
            others = max(0, (row.size or 1) - 1) if story_id is not None else 0
            results.append(StoryHit(hit, story_id, others, matched, similarity.get(article_id)))
        return results


# What a search result shows of an article besides its snippet, and what that is made from.
_HEAD = (articles.c.id, articles.c.title, articles.c.source, articles.c.published, articles.c.lang)
_TEXT = func.substr(articles.c.text, 1, HEADLINE_CHARS).label("text")


def embed_query(query: str) -> npt.NDArray[np.float32] | None:
    """The query as a unit vector of the article embedder; None (logged) when it cannot run.

    The model is loaded here, on first use, not by the store: a store without it still searches.
    """
    try:
        from newsdesk.nlp.embedder import default_embedder

        vector: npt.NDArray[np.float32] = default_embedder().embed([query[:MAX_PLAIN_CHARS]])[0]
        return vector
    except (ImportError, OSError, NewsdeskError) as exc:
        _warn_once(f"search: cannot embed the query ({exc}); full text only")
        return None


@functools.cache
def _embedder_pool() -> ThreadPoolExecutor:
    """The threads that embed queries beside the full-text SQL (the model releases the GIL)."""
    return ThreadPoolExecutor(max_workers=EMBED_THREADS, thread_name_prefix="query-embed")


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    """Log a failure of the semantic side once per process, not on every search."""
    if message not in _warned:
        _warned.add(message)
        log.warning("%s", message)


def _filters(
    source: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    section: str | None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses on articles that both sides of a search apply."""
    where: list[ColumnElement[bool]] = []
    if source is not None:
        where.append(articles.c.source == source)
    if lang is not None:
        where.append(articles.c.lang == lang)
    if since is not None:
        where.append(articles.c.published >= since)
    if until is not None:
        where.append(articles.c.published < until)
    if section is not None:
        in_section = (
            select(story_articles.c.article_id)
            .join(stories, stories.c.id == story_articles.c.story_id)
            .where(or_(stories.c.section == section, stories.c.nation == section))
        )
        where.append(articles.c.id.in_(in_section))
    return where


def _lead(text: str | None, words: int = 30) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _hit(row: Any, snippet: str, rank: float) -> SearchHit:
    return SearchHit(
        article_id=row.id,
        title=row.title,
        source=row.source,
        published=row.published,
        lang=row.lang,
        snippet=snippet,
        rank=float(rank),
    )
