"""Lead images: the page's alt text beside the image URL, and the image proxy's verdict.

image_checks holds, per article, whether its lead image could be fetched and thumbnailed (ok)
or not (reason, checked_at): cards leave a failed image out instead of asking for it again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("articles", sa.Column("image_alt", sa.Text))
    op.create_table(
        "image_checks",
        sa.Column("article_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("checked_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_image_checks"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_image_checks_article_id_articles",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("image_checks")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("image_alt")
