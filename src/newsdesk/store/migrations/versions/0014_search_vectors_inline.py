"""Search vectors kept in the article's row, not in the TOAST table (PostgreSQL only).

An unfiltered search for a common word reads the primary key backwards and tests each row's
tsvector until it has the newest few hundred matches: for a word in a fifth of the articles,
about a thousand vectors a search. A tsvector barely compresses (PostgreSQL leaves most of them
uncompressed), so one over about 2 KB went out of line, and each test was a lookup in the TOAST
table's index and a read of its chunks. Stored MAIN, a vector stays in its row unless the row
cannot fit in a page at all (the text, stored EXTENDED, goes out of line first): ranking the
newest 200 / 540 matches on the 10^4 benchmark store took 5.3-6.0 -> 1.5-2.1 ms and
17.2-17.7 -> 5.1-7.0 ms (a copy of the table with each storage, same run; the heap grows from
12 to 28 MB, the whole table is the same size).

The storage applies to rows written from now on; `VACUUM FULL articles` rewrites the older ones
(it locks the table while it runs: the README's upgrade note).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE EXTENDED")
