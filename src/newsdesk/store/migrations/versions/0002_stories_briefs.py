"""Stories, their links and aliases, briefs, article vectors, tags and entities.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def _story_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["story_id"], ["stories.id"], name=f"fk_{table}_story_id_stories", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "article_vectors",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_vectors"),
        _article_fk("article_vectors"),
    )

    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("centroid", sa.LargeBinary),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("entities", sa.Text, nullable=False),
        sa.Column("first_seen", TS),
        sa.Column("last_seen", TS),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])

    op.create_table(
        "briefs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer),
        sa.Column("story_id", sa.Integer),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("json", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_briefs"),
        _article_fk("briefs"),
        _story_fk("briefs"),
        sa.UniqueConstraint("article_id", name="uq_briefs_article_id"),
        sa.UniqueConstraint("story_id", name="uq_briefs_story_id"),
        sa.CheckConstraint(
            "(kind = 'article' AND article_id IS NOT NULL AND story_id IS NULL)"
            " OR (kind = 'story' AND story_id IS NOT NULL AND article_id IS NULL)",
            name="ck_briefs_kind",
        ),
    )

    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("shared_entities", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_articles"),
        _article_fk("story_articles"),
        _story_fk("story_articles"),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])

    op.create_table(
        "story_aliases",
        sa.Column("old_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("old_id", name="pk_story_aliases"),
        _story_fk("story_aliases"),
    )
    op.create_index("ix_story_aliases_story_id", "story_aliases", ["story_id"])

    op.create_table(
        "article_tags",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("tag", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "tag", name="pk_article_tags"),
        _article_fk("article_tags"),
    )
    op.create_index("ix_article_tags_tag", "article_tags", ["tag"])

    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "name", "type", name="pk_article_entities"),
        _article_fk("article_entities"),
    )
    op.create_index("ix_article_entities_name", "article_entities", ["name"])


def downgrade() -> None:
    for name in (
        "article_entities",
        "article_tags",
        "story_aliases",
        "story_articles",
        "briefs",
        "stories",
        "article_vectors",
    ):
        op.drop_table(name)
