"""Tables of what one reader keeps (migration 0012): follows and mutes, saved items, read state,
app passwords for feed-reader apps, and digest settings. Same MetaData as schema.py.

Secrets (app passwords, the private digest feed and unsubscribe tokens) are stored only as
SHA-256 hex digests, as the session and API tokens are (account_tables.py).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from newsdesk.store.schema import metadata
from newsdesk.store.timestamps import UTCDateTime

# What a reader can follow or mute; value is the key the stories are matched on (an entity's
# canonical name, a tag, a section name, a source id, a search query), label what pages show.
FOLLOW_KINDS = ("person", "organization", "place", "tag", "section", "source", "search")
SAVED_KINDS = ("article", "story")
DIGEST_FREQUENCIES = ("off", "daily", "weekly")


def _user_key() -> Column[int]:
    return Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True),
    _user_key(),
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("muted", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "kind", "value"),
    CheckConstraint(
        "kind IN ('person', 'organization', 'place', 'tag', 'section', 'source', 'search')",
        name="ck_follows_kind",
    ),
)

# kind + target_id name an article or a story (no foreign key: a story id may be merged away).
saved_items = Table(
    "saved_items",
    metadata,
    _user_key(),
    Column("kind", String(16), nullable=False),
    Column("target_id", Integer, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "kind", "target_id"),
    CheckConstraint("kind IN ('article', 'story')", name="ck_saved_items_kind"),
    Index("ix_saved_items_user_id_saved_at", "user_id", "saved_at"),
)

# One row per article a reader has read (feed-reader apps mark items one by one).
article_reads = Table(
    "article_reads",
    metadata,
    _user_key(),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("read_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "article_id"),
)

# A story a reader opened: when, and how many articles it had then ("new since you read").
story_reads = Table(
    "story_reads",
    metadata,
    _user_key(),
    Column("story_id", Integer, nullable=False),
    Column("read_at", UTCDateTime, nullable=False),
    Column("articles_seen", Integer, nullable=False),
    PrimaryKeyConstraint("user_id", "story_id"),
)

# Per-user passwords for feed-reader apps (Google Reader and Fever dialects): secret_hash is the
# SHA-256 of the password, fever_hash the SHA-256 of the Fever api_key md5("name:password").
app_passwords = Table(
    "app_passwords",
    metadata,
    Column("id", Integer, primary_key=True),
    _user_key(),
    Column("name", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("fever_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
)

digests = Table(
    "digests",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("frequency", String(16), nullable=False, server_default="off"),
    Column("email", Text),
    Column("feed_token_hash", String(64), unique=True),
    Column("unsubscribe_token_hash", String(64), unique=True),
    Column("last_sent_at", UTCDateTime),
    CheckConstraint("frequency IN ('off', 'daily', 'weekly')", name="ck_digests_frequency"),
)
