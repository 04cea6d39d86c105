"""What one reader keeps: follows and mutes, saved items, read state, app passwords, digests.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _user_key(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    return (
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
        ),
    )


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer, nullable=False),
        *_user_key("follows"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("muted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_follows"),
        sa.UniqueConstraint("user_id", "kind", "value", name="uq_follows_user_id_kind_value"),
        sa.CheckConstraint(
            "kind IN ('person', 'organization', 'place', 'tag', 'section', 'source', 'search')",
            name="ck_follows_kind",
        ),
    )
    op.create_table(
        "saved_items",
        *_user_key("saved_items"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        sa.Column("saved_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "target_id", name="pk_saved_items"),
        sa.CheckConstraint("kind IN ('article', 'story')", name="ck_saved_items_kind"),
    )
    op.create_index("ix_saved_items_user_id_saved_at", "saved_items", ["user_id", "saved_at"])
    op.create_table(
        "article_reads",
        *_user_key("article_reads"),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("read_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_article_reads"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_reads_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "story_reads",
        *_user_key("story_reads"),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("read_at", TS, nullable=False),
        sa.Column("articles_seen", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "story_id", name="pk_story_reads"),
    )
    op.create_table(
        "app_passwords",
        sa.Column("id", sa.Integer, nullable=False),
        *_user_key("app_passwords"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("fever_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_used_at", TS),
        sa.PrimaryKeyConstraint("id", name="pk_app_passwords"),
        sa.UniqueConstraint("secret_hash", name="uq_app_passwords_secret_hash"),
        sa.UniqueConstraint("fever_hash", name="uq_app_passwords_fever_hash"),
    )
    op.create_table(
        "digests",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False, server_default="off"),
        sa.Column("email", sa.Text),
        sa.Column("feed_token_hash", sa.String(64)),
        sa.Column("unsubscribe_token_hash", sa.String(64)),
        sa.Column("last_sent_at", TS),
        sa.PrimaryKeyConstraint("user_id", name="pk_digests"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_digests_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("feed_token_hash", name="uq_digests_feed_token_hash"),
        sa.UniqueConstraint("unsubscribe_token_hash", name="uq_digests_unsubscribe_token_hash"),
        sa.CheckConstraint("frequency IN ('off', 'daily', 'weekly')", name="ck_digests_frequency"),
    )


def downgrade() -> None:
    for table in ("digests", "app_passwords", "story_reads", "article_reads"):
        op.drop_table(table)
    op.drop_index("ix_saved_items_user_id_saved_at", table_name="saved_items")
    op.drop_table("saved_items")
    op.drop_table("follows")
