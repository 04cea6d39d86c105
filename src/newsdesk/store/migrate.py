"""Alembic, run from inside the package: no alembic.ini, one linear history, one head.

A new migration: `command.revision(alembic_config(), "what it does", rev_id="0002")` writes
migrations/versions/<rev>_<slug>.py from script.py.mako; keep it append-only with one head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from newsdesk.store.dialect import StoreDialect

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(conn: Connection | None = None) -> Config:
    """An Alembic Config pointing at the shipped migrations, bound to conn when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def heads() -> list[str]:
    """The head revisions of the shipped history (exactly one when the history is linear)."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def upgrade(engine: Engine, dialect: StoreDialect, revision: str = "head") -> None:
    """Bring the database to revision in one transaction, one migrator at a time."""
    with engine.begin() as conn:
        dialect.lock_migrations(conn)
        command.upgrade(alembic_config(conn), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
