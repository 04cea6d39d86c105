"""Sources, articles, sightings, fingerprints, LSH buckets and full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("site_url", sa.Text),
        sa.Column("category", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_polled", TS),
        sa.Column("next_check", TS),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_index("ix_sources_next_check", "sources", ["next_check"])

    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("byline", sa.Text),
        sa.Column("published", TS),
        sa.Column("lang", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("site_name", sa.Text),
        sa.Column("image", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("duplicate_of", sa.Integer),
        sa.Column("content_hash", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["articles.id"],
            name="fk_articles_duplicate_of_articles",
            ondelete="SET NULL",
        ),
    )
    for col in ("source", "canonical_url", "published", "external_id", "duplicate_of"):
        op.create_index(f"ix_articles_{col}", "articles", [col])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", TS),
        sa.Column("seen_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sightings"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_sightings_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("article_id", "ref", name="uq_sightings_article_id_ref"),
    )
    op.create_index("ix_sightings_ref", "sightings", ["ref"])
    op.create_index("ix_sightings_url", "sightings", ["url"])

    op.create_table(
        "fingerprints",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_fingerprints"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_fingerprints_article_id_articles",
            ondelete="CASCADE",
        ),
    )

    op.create_table(
        "lsh_buckets",
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key", "article_id", name="pk_lsh_buckets"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_lsh_buckets_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_lsh_buckets_article_id", "lsh_buckets", ["article_id"])

    # Full text differs by database. A migration is frozen history, so its DDL is written out
    # here rather than taken from dialect.py, which serves the current schema at run time.
    if op.get_bind().dialect.name == "sqlite":
        # External content: the text lives once, in articles; only canonical rows are indexed.
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.add_column("articles", sa.Column("search_vector", postgresql.TSVECTOR))
        op.create_index(
            "ix_articles_search_vector", "articles", ["search_vector"], postgresql_using="gin"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
    for name in ("lsh_buckets", "fingerprints", "sightings", "articles", "sources"):
        op.drop_table(name)
