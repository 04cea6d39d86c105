"""Each story's publishers kept on its row, beside the ranking's counts.

A story card names the story's publishers, the first to report it first (near-duplicates'
publishers included). Read on every card, that was an aggregate over every article of the page's
stories and their copies: 10-40 ms for a page of 20 broad stories at 10^6 articles, the slowest
statement of the API's story list. The ranking triggers of 0009 already read a story's whole
coverage on every write that changes it; they now also keep `publishers`, a JSON array of
[publisher, first dated report as epoch seconds or null], and a card reads it by primary key.
Its order is the reader's (store/story_publishers.py), so the two databases agree.

The coverage is grouped by publisher once and every column is taken from the groups (PostgreSQL
read it once already; SQLite read it three times, now once).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The ranking's coverage statement and triggers as 0009 wrote them (restored by downgrade).
_RANKED = importlib.import_module("newsdesk.store.migrations.versions.0009_ranked_reads")


def _by_publisher(story: str) -> str:
    return (
        "SELECT seen.source AS source, min(seen.published) AS first,"
        f" max(seen.published) AS last FROM ({_RANKED._SEEN.replace('stories.id', story)}) seen"
        " GROUP BY seen.source"
    )


SQLITE_EPOCH = "(julianday(p.first) - 2440587.5) * 86400.0"
RANK = (
    "UPDATE stories SET (sources, dated_first, dated_last, publishers) = ("
    "SELECT count(p.source), min(p.first), max(p.last),"
    f" json_group_array(json_array(p.source, {SQLITE_EPOCH}))"
    f" FROM ({_by_publisher('stories.id')}) p)"
)
PG_RANK = (
    "UPDATE stories SET sources = c.sources, dated_first = c.first, dated_last = c.last,"
    " publishers = c.publishers FROM unnest(ids) AS t(id) CROSS JOIN LATERAL ("
    "SELECT count(p.source) AS sources, min(p.first) AS first, max(p.last) AS last,"
    " coalesce(json_agg(json_build_array(p.source, extract(epoch FROM p.first)))::text, '[]')"
    f" AS publishers FROM ({_by_publisher('t.id')}) p) c WHERE stories.id = t.id"
)
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION newsdesk_rank_stories(ids integer[]) RETURNS void"
    " LANGUAGE sql AS $$ {} $$"
)


def _sqlite_triggers(rank: str) -> None:
    for name, spec in _RANKED.SQLITE_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {spec.format(rank=rank)}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("stories", sa.Column("publishers", sa.Text, nullable=False, server_default="[]"))
    if dialect == "postgresql":
        op.execute(PG_FUNCTION.format(PG_RANK))
        op.execute("SELECT newsdesk_rank_stories(ARRAY(SELECT id FROM stories))")
    else:
        _sqlite_triggers(RANK)
        op.execute(RANK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION.format(_RANKED.PG_RANK))
    else:
        _sqlite_triggers(_RANKED.RANK)
    # In place (SQLite 3.35+ drops a column): a batch copy of stories would break the triggers.
    op.drop_column("stories", "publishers")
