"""Stored articles and sightings take the one publisher name newsdesk.publishers gives.

Rows ingested before it show one outlet as "The Guardian", "theguardian.com" and "the
Guardian", or a raw host ("financialpost"). Each row is renamed from its URL (or canonical
URL) and the names it was stored with; a sighting's ref, which starts with its source name,
follows, so re-ingesting the same page finds it again. Two sightings of one article that
become the same ref were one sighting under two names: the later one goes. Data only: the
old names are not kept, so downgrade changes nothing.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsdesk.publishers import publisher_name

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    conn = op.get_bind()
    articles = conn.execute(
        sa.text("SELECT id, source, url, canonical_url, site_name, title FROM articles")
    ).all()
    renamed = []
    where: dict[int, tuple[str | None, str]] = {}  # article id -> (URL, title)
    for id_, source, url, canonical, site_name, title in articles:
        where[id_] = (url or canonical, title)
        name = publisher_name(url or canonical, (site_name, source), title=title) or source
        if name != source:
            renamed.append({"id": id_, "name": name})
    _update(conn, "UPDATE articles SET source = :name WHERE id = :id", renamed)

    sightings = conn.execute(
        sa.text("SELECT id, article_id, ref, source, url, title FROM sightings ORDER BY id")
    ).all()
    seen: set[tuple[int, str]] = set()
    changed, dropped = [], []
    for id_, article_id, ref, source, url, title in sightings:
        article_url, article_title = where.get(article_id, (None, ""))
        name = publisher_name(url or article_url, (source,), title=title or article_title) or source
        new_ref = name + ref[len(source) :] if ref.startswith(f"{source}|") else ref
        if (article_id, new_ref) in seen:
            dropped.append({"id": id_})
            continue
        seen.add((article_id, new_ref))
        if (name, new_ref) != (source, ref):
            changed.append({"id": id_, "name": name, "ref": new_ref})
    _update(conn, "DELETE FROM sightings WHERE id = :id", dropped)
    # Two steps, so a ref taken over from a row renamed later never meets its old owner.
    _update(conn, "UPDATE sightings SET ref = '#' || ref WHERE id = :id", changed)
    _update(conn, "UPDATE sightings SET source = :name, ref = :ref WHERE id = :id", changed)


def downgrade() -> None:
    pass  # the old names are not kept


def _update(conn: sa.Connection, sql: str, rows: list[dict[str, object]]) -> None:
    statement = sa.text(sql)
    for start in range(0, len(rows), _BATCH):
        conn.execute(statement, rows[start : start + _BATCH])
