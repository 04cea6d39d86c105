"""Tables of accounts and comments (migration 0003), on the same MetaData as schema.py.

Tokens (session cookies, API tokens) are stored only as SHA-256 hex digests: a leaked
database gives no working credential.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)

from newsdesk.store.schema import metadata
from newsdesk.store.timestamps import UTCDateTime


def _user_key(*, index: bool | None = None) -> Column[int]:
    return Column(
        "user_id",
        Integer,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime),
    CheckConstraint("role IN ('admin', 'member')", name="ck_users_role"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    _user_key(index=True),
    Column("csrf_secret", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    _user_key(index=True),
    Column("name", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# kind + target_id name an article or a story; no foreign key, as a story id may be merged away.
comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("target_id", Integer, nullable=False),
    _user_key(),
    Column("parent_id", Integer, ForeignKey("comments.id", ondelete="CASCADE")),
    Column("body", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("edited_at", UTCDateTime),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    Column("deleted", Boolean, nullable=False, server_default=false()),
    CheckConstraint("kind IN ('article', 'story')", name="ck_comments_kind"),
    Index("ix_comments_kind_target_id", "kind", "target_id"),
    Index("ix_comments_user_id_created_at", "user_id", "created_at"),
)

# One row per failed login, keyed 'user:NAME' or 'ip:ADDR'; counted over a sliding window.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_attempts_key_at", "key", "at"),
)
