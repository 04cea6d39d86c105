"""Story sections: the topical desk (World, Politics, ...) and the country of a story's coverage.

Both are written with the story's brief (newsdesk.enrich.sections); stories stored before this
revision have neither until `newsdesk reprocess` rewrites their briefs. The indexes serve the
section pages (a section's stories, ranked like the front page) and the section bar.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("section", sa.Text))
    op.add_column("stories", sa.Column("nation", sa.Text))
    op.create_index("ix_stories_section", "stories", ["section", "sources"])
    op.create_index("ix_stories_nation", "stories", ["nation", "sources"])


def downgrade() -> None:
    op.drop_index("ix_stories_nation", "stories")
    op.drop_index("ix_stories_section", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("nation")
        batch.drop_column("section")
