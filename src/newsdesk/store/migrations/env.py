"""Alembic environment: newsdesk runs migrations itself, on a connection it hands over."""

from __future__ import annotations

from alembic import context

from newsdesk.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("store: migrations run through newsdesk.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: later migrations copy tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
