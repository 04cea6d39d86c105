"""Search vectors kept in the article's row, not in the TOAST table (PostgreSQL only).

An unfiltered search for a common word reads the primary key backwards and tests each row's
tsvector until it has the newest few hundred matches: for a word in a fifth of the articles,
about a thousand vectors a search. A tsvector barely compresses (PostgreSQL leaves most of them
uncompressed), so one over about 2 KB went out of line, and each test was a lookup in the TOAST
table's index and a read of its chunks. Stored MAIN, a vector stays in its row unless the row
cannot fit in a page at all: ranking the newest 200 / 540 matches of 10 common words at 10^5
took 5.7 -> 1.5 ms and 13.3 -> 4.5 ms (the table copied with each storage, same run).

MAIN alone pushed the text out of line instead (the toaster moves EXTENDED values out before
MAIN ones), and the story and article pages, which read texts, lost about 1 ms each. The table's
toast_tuple_target is therefore raised to the largest allowed: a row up to about 8 KB (most
articles) is kept whole and uncompressed, and only a longer one has its text compressed or moved
out. At 10^5 (the web answers one at a time, the two layouts taking turns): story 18.0 -> 16.7
ms, article 15.4 -> 14.4 ms against MAIN alone, the common-word search unchanged; the table
grows from 613 to 630 MB.

Both apply to rows written from now on; `VACUUM FULL articles` rewrites the older ones (it
locks the table while it runs: the README's upgrade note).

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

ROW_TARGET = 8160  # bytes: the most toast_tuple_target takes (8 KB pages)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN")
    op.execute(f"ALTER TABLE articles SET (toast_tuple_target = {ROW_TARGET})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE EXTENDED")
    op.execute("ALTER TABLE articles RESET (toast_tuple_target)")
