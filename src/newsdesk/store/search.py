"""Full-text search over canonical articles; user queries are reduced to plain terms first."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, select

from newsdesk.models import SearchHit
from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles

MAX_TERMS = 16
MAX_TERM_CHARS = 200
MAX_PLAIN_CHARS = 2000
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
        where: list[ColumnElement[bool]] = []
        if source is not None:
            where.append(articles.c.source == source)
        if lang is not None:
            where.append(articles.c.lang == lang)
        if since is not None:
            where.append(articles.c.published >= since)
        if until is not None:
            where.append(articles.c.published < until)
        # Two queries, not one: wrapped as a subquery, SQLite materializes the FTS5 query and
        # takes 15x longer (900 ms vs 60 ms for a common word at 100k articles).
        found = self._conn.execute(
            self._dialect.search(terms, plain_query(query), where, limit, max(0, offset))
        ).all()
        info = {
            row.id: row
            for row in self._conn.execute(
                select(
                    articles.c.id,
                    articles.c.title,
                    articles.c.source,
                    articles.c.published,
                    articles.c.lang,
                ).where(articles.c.id.in_([hit.id for hit in found]))
            )
        }
        ordered = sorted(found, key=lambda hit: (-float(hit.rank), hit.id))
        rows = [_Row(info[hit.id], hit.snippet, hit.rank) for hit in ordered]
        return [_hit(row) for row in rows]


class _Row(NamedTuple):
    article: Any
    snippet: str | None
    rank: float


def _hit(row: _Row) -> SearchHit:
    return SearchHit(
        article_id=row.article.id,
        title=row.article.title,
        source=row.article.source,
        published=row.article.published,
        lang=row.article.lang,
        snippet=row.snippet or "",
        rank=float(row.rank),
    )
