"""The only module that knows SQLite from PostgreSQL: connection setup, locking, upserts, full text.

Everything else in the store writes portable SQLAlchemy Core and asks this module for the rest.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Column,
    ColumnElement,
    Connection,
    Engine,
    Float,
    Integer,
    Select,
    Subquery,
    Table,
    Text,
    bindparam,
    cast,
    column,
    event,
    extract,
    func,
    literal_column,
    select,
    table,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool

from newsdesk.store.schema import articles, story_articles

SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATION_LOCK_KEY = 0x6E657773  # "news": one migrator at a time on a shared PostgreSQL
READONLY = "newsdesk_readonly"  # execution option: a transaction that will not write
# A tsvector is capped at 1 MB; the head of a very long article is enough to find it.
PG_VECTOR_CHARS = 100_000


# Search ranks the newest SEARCH_WINDOW articles that match (ids follow ingest): ranking every
# match of a common word ("police": 28,000 of 100,000 articles) cost 27 ms on SQLite and 560 ms
# on PostgreSQL. A filtered search (source, language, dates) ranks all of its matches. A page
# past the window widens it to reach that page. 200, not 1,000: finding and ranking the newest
# matches reads each one's tsvector (TOASTed) on PostgreSQL, so the cost follows the window,
# 62 -> 14 ms for "police" (a fifth of the articles) on the pg_scale store.
SEARCH_WINDOW = 200


def search_window(limit: int, offset: int) -> int:
    """How many of the newest matches an unfiltered search ranks to answer this page."""
    return max(SEARCH_WINDOW, limit + offset)


# A bounded pool: pool_size connections kept, max_overflow more opened while busy, and a caller
# waits at most pool_timeout seconds for one (then TimeoutError, StoreBusyError to callers; the
# web answers 503). The web app once deadlocked on a bounded pool (its store dependency takes a
# connection in one worker thread and the page runs in another); it now takes a connection only
# once the request holds one of its store slots, as many as the pool keeps (web/store_slots.py):
# under load its requests reuse kept connections, never opening and closing overflow ones (a new
# PostgreSQL connection per request cost a fifth of an article page's time), and the overflow is
# left to writers, the background poller and session look-ups.
POOL_OVERFLOW = 4
POOL: dict[str, Any] = {"pool_size": 16, "max_overflow": POOL_OVERFLOW, "pool_timeout": 10}
# A pooled PostgreSQL connection idle longer than this is pinged before it is handed out (one
# round trip), and replaced when the server dropped it; one in use within it is handed out as it
# is: a ping on every checkout was one round trip of each page's few. A connection dropped within
# the window fails its statement, and the pool then replaces every connection it had opened.
IDLE_PING_SECONDS = 10.0
_IDLE_SINCE = "newsdesk_idle_since"  # pool record info: when the connection was last checked in


class StoreDialect:
    """What differs between the databases; one instance per engine."""

    name: str
    largest_int: int  # the widest integer its columns hold (ids included)

    def engine_kwargs(self, memory: bool) -> dict[str, Any]:
        """Extra create_engine() arguments for this database."""
        return {}

    def configure(self, engine: Engine) -> None:
        """Install connection-level settings on a new engine."""

    def lock_migrations(self, conn: Connection) -> None:
        """Keep two processes from migrating the same database at once (within the transaction)."""

    def insert(self, target: Table) -> Any:
        """An INSERT that supports on_conflict_do_nothing / on_conflict_do_update."""
        raise NotImplementedError

    def upsert(self, target: Table, keys: Sequence[str], columns: Sequence[str]) -> Any:
        """INSERT ... ON CONFLICT (keys) DO UPDATE SET each of columns to the new row's value,
        built once per (table, keys, columns): execute it with each row's values as parameters
        (building the statement on every call cost more than running it)."""
        return _upsert(self, target, tuple(keys), tuple(columns))

    def index_text(self, conn: Connection, article_id: int, title: str, body: str) -> None:
        """Make one canonical article findable by search()."""
        raise NotImplementedError

    def index_texts(self, conn: Connection, texts: Sequence[tuple[int, str, str]]) -> None:
        """index_text for many (article_id, title, body), in one batch where the driver can."""
        for article_id, title, body in texts:
            self.index_text(conn, article_id, title, body)

    def day_number(self, moment: ColumnElement[Any]) -> ColumnElement[float]:
        """A timestamp column as fractional days since some fixed origin (origin differs by db)."""
        raise NotImplementedError

    def search(
        self,
        terms: Sequence[str],
        plain: str,
        where: Sequence[ColumnElement[bool]],
        limit: int,
        offset: int,
    ) -> Select[Any]:
        """Rows (id, rank, story_id) of canonical articles matching every term, best first;
        story_id is the article's story (None when it has none).

        terms are the query's words; plain is its text without syntax, for a database that
        splits words its own way. Headlines are made from the page's texts (store/headline.py).
        """
        raise NotImplementedError

    def among(self, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
        """column IN ids, for the hundreds of ids a search reads back at once."""
        return column.in_(list(ids))

    def postings(self, key: Column[str], param: str, slots: int, per_side: int) -> Subquery:
        """(article_id, key) of the rows of key's table filed under each key that key_params
        puts in `param` (at most `slots` of them), the per_side nearest the bound article_id in
        id on each side of it (ids follow ingest: nearest in time). Here one fixed slot
        parameter per key, each slot two index reads: one statement shape, compiled once."""
        sides = [
            _nearest(key, bindparam(f"{param}{i}"), before, per_side).subquery()
            for i in range(slots)
            for before in (True, False)
        ]
        return union_all(*(select(s.c.article_id, s.c.key) for s in sides)).subquery()

    def key_params(self, param: str, keys: Sequence[str], slots: int) -> dict[str, object]:
        """The bound values of postings(param) for these keys (the first `slots` of them)."""
        # Unused slots ask for "", which no key is.
        return {f"{param}{i}": keys[i] if i < len(keys) else "" for i in range(slots)}


def _nearest(
    key: Column[str], value: ColumnElement[str], before: bool, per_side: int
) -> Select[Any]:
    """(article_id, key) of the per_side rows filed under value nearest the bound article_id,
    before it or after it."""
    own: BindParameter[int] = bindparam("article_id")
    ids = key.table.c.article_id
    return (
        select(ids, key.label("key"))
        .where(key == value, ids < own if before else ids > own)
        .order_by(ids.desc() if before else ids.asc())
        .limit(per_side)
    )


@cache
def _upsert(
    dialect: StoreDialect, target: Table, keys: tuple[str, ...], columns: tuple[str, ...]
) -> Any:
    stmt = dialect.insert(target)
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={name: stmt.excluded[name] for name in columns}
    )


class SQLiteDialect(StoreDialect):
    name = "sqlite"
    largest_int = 2**63 - 1

    def engine_kwargs(self, memory: bool) -> dict[str, Any]:
        if memory:
            # One shared connection, or each pooled connection would see its own empty database.
            return {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        return dict(POOL)

    def configure(self, engine: Engine) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transactions out of pysqlite's hands so BEGIN (and DDL) happen when we say so.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                cur.execute("PRAGMA synchronous=NORMAL")
            finally:
                cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A writer takes the write lock up front: a deferred transaction that reads and then
            # writes fails at once with SQLITE_BUSY when another writer got in between.
            mode = "BEGIN" if conn.get_execution_options().get(READONLY) else "BEGIN IMMEDIATE"
            conn.exec_driver_sql(mode)

    def insert(self, target: Table) -> Any:
        return sqlite.insert(target)

    def day_number(self, moment: ColumnElement[Any]) -> ColumnElement[float]:
        # The stored text "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) is a time string julianday reads.
        return func.julianday(moment, type_=Float)

    def index_text(self, conn: Connection, article_id: int, title: str, body: str) -> None:
        conn.execute(
            text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)"),
            {"id": article_id, "title": title, "text": body},
        )

    def search(
        self,
        terms: Sequence[str],
        plain: str,
        where: Sequence[ColumnElement[bool]],
        limit: int,
        offset: int,
    ) -> Select[Any]:
        fts = table("articles_fts", column("rowid"))
        match = _fts_match(terms)
        bm25: ColumnElement[float] = literal_column("bm25(articles_fts, 10.0, 1.0)")
        matching = text("articles_fts MATCH :match").bindparams(match=match)
        story = story_articles.c.story_id
        if where:  # filters on the article: join it
            return (
                select(articles.c.id, (-bm25).label("rank"), story)
                .select_from(
                    fts.join(articles, articles.c.id == fts.c.rowid).outerjoin(
                        story_articles, story_articles.c.article_id == fts.c.rowid
                    )
                )
                .where(matching, articles.c.duplicate_of.is_(None), *where)
                .order_by(bm25, articles.c.id)
                .limit(limit)
                .offset(offset)
            )
        # No filter: leave the near-duplicates out by id (a short indexed list) rather than
        # joining every match's article row, whose text SQLite steps over to reach duplicate_of
        # (61 -> 27 ms for a word in 28,000 of 100,000 articles); rank the newest
        # SEARCH_WINDOW matches only (27 -> 4 ms).
        duplicates = select(articles.c.id).where(articles.c.duplicate_of.is_not(None))
        oldest = (
            select(fts.c.rowid)
            .where(text("articles_fts MATCH :match").bindparams(match=match))
            .order_by(fts.c.rowid.desc())
            .limit(1)
            .offset(search_window(limit, offset) - 1)
            .scalar_subquery()
        )
        return (
            select(fts.c.rowid.label("id"), (-bm25).label("rank"), story)
            .select_from(fts.outerjoin(story_articles, story_articles.c.article_id == fts.c.rowid))
            .where(matching, fts.c.rowid >= func.coalesce(oldest, 0))
            .where(fts.c.rowid.not_in(duplicates))
            .order_by(bm25, fts.c.rowid)
            .limit(limit)
            .offset(offset)
        )


# Each term quoted: FTS5 reads it as a plain string, never as syntax. Title weighs 10x (bm25).
def _fts_match(terms: Sequence[str]) -> str:
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


class PostgresDialect(StoreDialect):
    name = "postgresql"
    largest_int = 2**31 - 1  # INTEGER columns

    def engine_kwargs(self, memory: bool) -> dict[str, Any]:
        return dict(POOL)

    def configure(self, engine: Engine) -> None:
        @event.listens_for(engine, "checkin")
        def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
            record.info[_IDLE_SINCE] = time.monotonic()

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
            since = record.info.get(_IDLE_SINCE)
            if since is None or time.monotonic() - since <= IDLE_PING_SECONDS:
                return
            try:
                engine.dialect.do_ping(dbapi_conn)
            except engine.dialect.loaded_dbapi.Error as exc:
                # The pool replaces the connection and tries again (up to three times).
                raise DisconnectionError(f"store: a pooled connection was dropped ({exc})") from exc

    def lock_migrations(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})

    def insert(self, target: Table) -> Any:
        return postgresql.insert(target)

    def day_number(self, moment: ColumnElement[Any]) -> ColumnElement[float]:
        return cast(extract("epoch", moment), Float(asdecimal=False)) / 86400.0

    def index_text(self, conn: Connection, article_id: int, title: str, body: str) -> None:
        self.index_texts(conn, [(article_id, title, body)])

    def index_texts(self, conn: Connection, texts: Sequence[tuple[int, str, str]]) -> None:
        # 'simple' is language-neutral (no stemming, no stop words): the corpus is multilingual.
        if not texts:
            return
        conn.execute(
            text(
                "UPDATE articles SET search_vector ="
                " setweight(to_tsvector('simple', :title), 'A')"
                " || setweight(to_tsvector('simple', left(:text, :cap)), 'B')"
                " WHERE id = :id"
            ),
            [
                {"id": i, "title": title, "text": body, "cap": PG_VECTOR_CHARS}
                for i, title, body in texts
            ],
        )

    def search(
        self,
        terms: Sequence[str],
        plain: str,
        where: Sequence[ColumnElement[bool]],
        limit: int,
        offset: int,
    ) -> Select[Any]:
        # plainto_tsquery reads no operators, and its parser is the one that split the documents.
        query = _pg_query(plain)
        vector: ColumnElement[Any] = literal_column("articles.search_vector")
        rank = func.ts_rank_cd(vector, query)
        matches = vector.bool_op("@@")(query)
        if where:  # a filtered search ranks every match
            best = (
                select(articles.c.id, rank.label("rank"))
                .where(matches, articles.c.duplicate_of.is_(None), *where)
                .order_by(rank.desc(), articles.c.id)
                .limit(limit)
                .offset(offset)
                .subquery("best")
            )
        else:
            # The newest matches, ranked in the same pass (from the primary key read backwards:
            # each row's tsvector read once for @@ and once for the rank, not again after).
            newest = (
                select(articles.c.id, articles.c.duplicate_of, rank.label("rank"))
                .where(matches)
                .order_by(articles.c.id.desc())
                .limit(search_window(limit, offset))
                .subquery("newest")
            )
            best = (
                select(newest.c.id, newest.c.rank)
                .where(newest.c.duplicate_of.is_(None))
                .order_by(newest.c.rank.desc(), newest.c.id)
                .limit(limit)
                .offset(offset)
                .subquery("best")
            )
        # Each ranked article's story beside it: a key probe each in this statement, where a
        # statement of its own cost the search page a round trip and an array of the ids.
        in_story = best.outerjoin(story_articles, story_articles.c.article_id == best.c.id)
        ranked = select(best.c.id, best.c.rank, story_articles.c.story_id).select_from(in_story)
        return ranked.order_by(best.c.rank.desc(), best.c.id)

    def among(self, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
        # One array parameter, not one parameter per id: the driver converts a statement of
        # more than 50 parameters anew on every call (about 1 ms for 500 ids).
        return column == func.any(bindparam(None, list(ids), type_=postgresql.ARRAY(Integer)))

    def postings(self, key: Column[str], param: str, slots: int, per_side: int) -> Subquery:
        # The keys as one array parameter, each read beside the article by a lateral join: the
        # statement of 20 fixed slots was 16 KB of SQL that the driver converted anew on every
        # call and PostgreSQL planned anew (2.5-3 ms of planning, more than running it).
        wanted = (
            func.unnest(bindparam(param, type_=postgresql.ARRAY(Text)))
            .table_valued("key")
            .render_derived(name=f"{param}_wanted")
        )
        sides = []
        for before in (True, False):
            near = _nearest(key, wanted.c.key, before, per_side).lateral()
            sides.append(
                select(near.c.article_id, near.c.key).select_from(wanted).join(near, true())
            )
        return union_all(*sides).subquery()

    def key_params(self, param: str, keys: Sequence[str], slots: int) -> dict[str, object]:
        return {param: list(keys[:slots])}


def _pg_query(plain: str) -> ColumnElement[Any]:
    # The words go into the statement as a literal (escaped by SQLAlchemy), not as a parameter:
    # PostgreSQL then plans each search for its words (the primary key read backwards for a
    # common word, the text index for a rare one), where a statement the driver prepared on
    # its fifth run may get one generic plan for every word, and the rare word's read every
    # article by primary key (seconds at 10^6).
    return func.plainto_tsquery("simple", bindparam("plain", plain, literal_execute=True))


def dialect_for(name: str) -> StoreDialect:
    """The StoreDialect for a SQLAlchemy dialect name; ValueError for any other database."""
    if name == "sqlite":
        return SQLiteDialect()
    if name == "postgresql":
        return PostgresDialect()
    raise ValueError(f"unsupported database {name!r} (use sqlite or postgresql)")
