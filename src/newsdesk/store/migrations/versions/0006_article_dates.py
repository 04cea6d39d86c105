"""Articles keep the page's declared modified time and whether published is approximate.

A page updated long after it was published shows "updated DATE" beside its publication date;
a card's "31 minutes ago" resolved against its page's own capture time is marked approximate.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("articles", sa.Column("modified", TS))
    op.add_column(
        "articles",
        sa.Column("published_approx", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_approx")
        batch.drop_column("modified")
