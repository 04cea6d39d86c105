"""Failed items: an item that failed to fetch or extract, its reason, source and job, for a retry.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "failed_items",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("source_id", sa.Integer),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_failed_at", TS, nullable=False),
        sa.Column("last_failed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_failed_items"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_failed_items_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("source_id", "url", name="uq_failed_items_source_id_url"),
    )
    op.create_index("ix_failed_items_last_failed_at", "failed_items", ["last_failed_at"])


def downgrade() -> None:
    op.drop_index("ix_failed_items_last_failed_at", table_name="failed_items")
    op.drop_table("failed_items")
