"""The tables as the running code sees them (Core). Migrations create them; a test keeps both equal.

Full-text search is not here: its storage differs by database and lives in dialect.py.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from newsdesk.store.timestamps import UTCDateTime

# Named constraints keep later migrations (SQLite batch mode included) deterministic.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text),
    Column("site_url", Text),
    Column("category", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", UTCDateTime),
    Column("next_check", UTCDateTime, index=True),
    Column("error_count", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False, index=True),
    Column("url", Text),
    Column("canonical_url", Text, index=True),
    Column("title", Text, nullable=False),
    Column("byline", Text),
    Column("published", UTCDateTime, index=True),
    Column("lang", String(16)),
    Column("text", Text, nullable=False),
    Column("external_id", Text, index=True),
    Column("site_name", Text),
    Column("image", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("content_hash", Text, index=True),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ref", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("url", Text, index=True),
    Column("title", Text),
    Column("published", UTCDateTime),
    Column("seen_at", UTCDateTime, nullable=False),
    UniqueConstraint("article_id", "ref"),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("signature", LargeBinary, nullable=False),
)

# The primary key (key, article_id) is the index on key: lookups go by key prefix.
lsh_buckets = Table(
    "lsh_buckets",
    metadata,
    Column("key", LargeBinary, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Index("ix_lsh_buckets_article_id", "article_id"),
)
