"""Helpers for the store tests: fake MinHash signatures, the article factory's type, a fresh
PostgreSQL schema per test, and plain articles written straight into a store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store

ArticleFactory = Callable[..., NewArticle]


def signature(seed: int, n: int = 8) -> bytes:
    """A fake MinHash signature: n little-endian uint32 values derived from seed."""
    return b"".join(((seed * 7919 + i) % 2**32).to_bytes(4, "little") for i in range(n))


@contextmanager
def pg_schema(admin_url: str) -> Iterator[str]:
    """A database URL on a fresh PostgreSQL schema (search_path in the URL), dropped after."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()


def insert_texts(
    store: Store, articles: Sequence[tuple[str, str]], published: datetime
) -> list[int]:
    """Store (title, text) pairs as English articles of distinct sources; their ids."""
    with store.transaction() as repo:
        return [
            repo.insert_article(
                NewArticle(
                    source=f"Source {i}",
                    title=title,
                    text=body,
                    fingerprint=Fingerprint(f"h{i}", b"", ()),
                    published=published,
                    lang="en",
                )
            )
            for i, (title, body) in enumerate(articles)
        ]


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent through engine while the block runs, in order."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
