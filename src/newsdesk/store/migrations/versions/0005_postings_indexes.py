"""Tag and entity indexes that hold the article id: (tag, article_id) and (name, article_id).

Related-article candidates read the articles filed under a tag or name nearest one article id
(store/tags.py); with the id in the index that is a short range scan, not a lookup per row.

Revision ID: 0005
Revises: 0004
Create Date: 2025-06-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_article_tags_tag", table_name="article_tags")
    op.create_index("ix_article_tags_tag_article", "article_tags", ["tag", "article_id"])
    op.drop_index("ix_article_entities_name", table_name="article_entities")
    op.create_index("ix_article_entities_name_article", "article_entities", ["name", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_entities_name_article", table_name="article_entities")
    op.create_index("ix_article_entities_name", "article_entities", ["name"])
    op.drop_index("ix_article_tags_tag_article", table_name="article_tags")
    op.create_index("ix_article_tags_tag", "article_tags", ["tag"])
