"""Reads that stay indexed at a million articles: the story ranking kept on the story row,
canonical articles newest first from an index, the text index written through.

The front-page ranking counts each story's distinct publishers (near-duplicates included) and
its latest dated coverage. Computed on every read, that was an aggregate over every article.
Stories now carry them (sources, dated_first, dated_last), kept by triggers on story_articles
and articles in both databases, so no write path of the code can forget them; the ranking reads
the fresh stories (dated_last in the last FRESH_DAYS) and the broadest others from two indexes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

# A story's coverage: its canonical articles and their near-duplicates (store/stories.py).
_SEEN = (
    "SELECT a.source AS source, a.published AS published FROM story_articles l"
    " JOIN articles a ON a.id = l.article_id WHERE l.story_id = stories.id"
    " UNION ALL SELECT d.source, d.published FROM story_articles l"
    " JOIN articles d ON d.duplicate_of = l.article_id WHERE l.story_id = stories.id"
)
RANK = (
    f"UPDATE stories SET sources = (SELECT count(DISTINCT seen.source) FROM ({_SEEN}) seen),"
    f" dated_first = (SELECT min(seen.published) FROM ({_SEEN}) seen),"
    f" dated_last = (SELECT max(seen.published) FROM ({_SEEN}) seen)"
)
_STORIES_OF = "SELECT story_id FROM story_articles WHERE article_id IN ({})"

SQLITE_TRIGGERS = {
    "story_ranks_link_insert": "AFTER INSERT ON story_articles BEGIN {rank}"
    " WHERE id = NEW.story_id; END",
    "story_ranks_link_update": "AFTER UPDATE OF story_id ON story_articles BEGIN {rank}"
    " WHERE id IN (OLD.story_id, NEW.story_id); END",
    "story_ranks_link_delete": "AFTER DELETE ON story_articles BEGIN {rank}"
    " WHERE id = OLD.story_id; END",
    "story_ranks_copy_insert": "AFTER INSERT ON articles WHEN NEW.duplicate_of IS NOT NULL"
    " BEGIN {rank} WHERE id IN (" + _STORIES_OF.format("NEW.duplicate_of") + "); END",
    "story_ranks_article_update": "AFTER UPDATE OF source, published, duplicate_of ON articles"
    " BEGIN {rank} WHERE id IN ("
    + _STORIES_OF.format("OLD.id, OLD.duplicate_of, NEW.duplicate_of")
    + "); END",
    "story_ranks_copy_delete": "AFTER DELETE ON articles WHEN OLD.duplicate_of IS NOT NULL"
    " BEGIN {rank} WHERE id IN (" + _STORIES_OF.format("OLD.duplicate_of") + "); END",
}

# PostgreSQL: statement triggers with transition tables (one recount per story per statement,
# not per row: a merge moves thousands of links in one UPDATE); row triggers where a column
# list is needed (transition tables do not go with one).
# The same counts as RANK, with the coverage read once per story (a lateral join), not thrice.
PG_RANK = (
    "UPDATE stories SET sources = c.sources, dated_first = c.first, dated_last = c.last"
    " FROM unnest(ids) AS t(id) CROSS JOIN LATERAL ("
    "SELECT count(DISTINCT seen.source) AS sources, min(seen.published) AS first,"
    " max(seen.published) AS last FROM ("
    + _SEEN.replace("stories.id", "t.id")
    + ") seen) c WHERE stories.id = t.id"
)
PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION newsdesk_rank_stories(ids integer[]) RETURNS void LANGUAGE sql AS $$
  {PG_RANK}
$$;
CREATE FUNCTION newsdesk_rank_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM newsdesk_rank_stories(ARRAY(SELECT DISTINCT story_id FROM new_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM newsdesk_rank_stories(ARRAY(SELECT DISTINCT story_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION newsdesk_rank_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM newsdesk_rank_stories(ARRAY(
      SELECT DISTINCT l.story_id FROM new_rows n
      JOIN story_articles l ON l.article_id = n.duplicate_of));
  ELSE
    PERFORM newsdesk_rank_stories(ARRAY(
      SELECT DISTINCT l.story_id FROM old_rows o
      JOIN story_articles l ON l.article_id = o.duplicate_of));
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION newsdesk_rank_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM newsdesk_rank_stories(ARRAY(
    SELECT story_id FROM story_articles
    WHERE article_id IN (OLD.id, OLD.duplicate_of, NEW.duplicate_of)));
  RETURN NULL;
END $$;
"""
PG_TRIGGERS = {
    "story_ranks_link_insert": "AFTER INSERT ON story_articles REFERENCING NEW TABLE AS"
    " new_rows FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_rank_links()",
    "story_ranks_link_update": "AFTER UPDATE ON story_articles REFERENCING OLD TABLE AS"
    " old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_rank_links()",
    "story_ranks_link_delete": "AFTER DELETE ON story_articles REFERENCING OLD TABLE AS"
    " old_rows FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_rank_links()",
    "story_ranks_copy_insert": "AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_rank_copies()",
    "story_ranks_article_update": "AFTER UPDATE OF source, published, duplicate_of ON articles"
    " FOR EACH ROW WHEN (OLD.source IS DISTINCT FROM NEW.source"
    " OR OLD.published IS DISTINCT FROM NEW.published"
    " OR OLD.duplicate_of IS DISTINCT FROM NEW.duplicate_of)"
    " EXECUTE FUNCTION newsdesk_rank_article()",
    "story_ranks_copy_delete": "AFTER DELETE ON articles REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_rank_copies()",
}
GIN_INDEX = "ix_articles_search_vector"  # the text index (0001)
PG_FUNCTION_NAMES = ("newsdesk_rank_stories(integer[])", "newsdesk_rank_links()",
                     "newsdesk_rank_copies()", "newsdesk_rank_article()")  # fmt: skip

# Indexes whose column order (DESC, NULLS LAST) schema.py does not spell: the ranking's stale
# stories (broadest first) and canonical articles newest first (undated last), as read.
SORTED_INDEXES = {
    "postgresql": {
        "ix_stories_ranked": "stories (sources DESC, dated_last DESC NULLS LAST, id)",
        "ix_articles_canonical_newest": "articles (published DESC NULLS LAST, id DESC)"
        " WHERE duplicate_of IS NULL",
        "ix_articles_source_newest": "articles (source, published DESC NULLS LAST, id DESC)"
        " WHERE duplicate_of IS NULL",
    },
    # SQLite sorts NULL below every value: DESC already puts the undated last.
    "sqlite": {
        "ix_stories_ranked": "stories (sources DESC, dated_last DESC, id)",
        "ix_articles_canonical_newest": "articles (published DESC, id DESC)"
        " WHERE duplicate_of IS NULL",
        "ix_articles_source_newest": "articles (source, published DESC, id DESC)"
        " WHERE duplicate_of IS NULL",
    },
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("stories", sa.Column("sources", sa.Integer, nullable=False, server_default="0"))
    op.add_column("stories", sa.Column("dated_first", TS))
    op.add_column("stories", sa.Column("dated_last", TS))
    op.execute(RANK)
    op.create_index("ix_stories_dated_last", "stories", ["dated_last"])
    for name, spec in SORTED_INDEXES[dialect].items():
        op.execute(f"CREATE INDEX {name} ON {spec}")
    if dialect == "postgresql":
        # Every search scans the GIN index's pending list whole (up to 4 MB of entries waiting
        # for a vacuum): a rare word took 70 ms with 480 pending pages at 10^4 articles, 0.1 ms
        # after a vacuum. Written straight into the index, a search costs what it finds.
        op.execute(f"ALTER INDEX {GIN_INDEX} SET (fastupdate = off)")
        op.execute(PG_FUNCTIONS)
        for name, spec in PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {spec}")
    else:
        for name, spec in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {spec.format(rank=RANK)}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in SQLITE_TRIGGERS:  # the same names on both databases
        table = "story_articles" if "link" in name else "articles"
        on = f" ON {table}" if dialect == "postgresql" else ""
        op.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
    if dialect == "postgresql":
        op.execute(f"ALTER INDEX {GIN_INDEX} RESET (fastupdate)")
        for function in PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    for name in SORTED_INDEXES[dialect]:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_stories_dated_last", table_name="stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("dated_last")
        batch.drop_column("dated_first")
        batch.drop_column("sources")
