"""The tables as the running code sees them (Core). Migrations create them; a test keeps both equal.

Full-text search is not here: its storage differs by database and lives in dialect.py.
JSON columns are TEXT written by the store itself: the same bytes on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from newsdesk.store.timestamps import UTCDateTime

# Named constraints keep later migrations (SQLite batch mode included) deterministic.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text),
    Column("site_url", Text),
    Column("category", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", UTCDateTime),
    Column("next_check", UTCDateTime, index=True),
    Column("error_count", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False, index=True),
    Column("url", Text),
    Column("canonical_url", Text, index=True),
    Column("title", Text, nullable=False),
    Column("byline", Text),
    Column("published", UTCDateTime, index=True),
    Column("lang", String(16)),
    Column("text", Text, nullable=False),
    Column("external_id", Text, index=True),
    Column("site_name", Text),
    Column("image", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("content_hash", Text, index=True),
    # 0006: the page's declared last change (after published), and whether published was
    # resolved from a relative time ("31 minutes ago") against the page's own capture time.
    Column("modified", UTCDateTime),
    Column("published_approx", Boolean, nullable=False, server_default=false()),
    Column("image_alt", Text),  # 0010: the page's words for its lead image (image)
    # Covering (0004): joins that need only source or duplicate_of skip the wide rows.
    Index("ix_articles_id_source_duplicate_of", "id", "source", "duplicate_of"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ref", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("url", Text, index=True),
    Column("title", Text),
    Column("published", UTCDateTime),
    Column("seen_at", UTCDateTime, nullable=False),
    UniqueConstraint("article_id", "ref"),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("signature", LargeBinary, nullable=False),
)

# The primary key (key, article_id) is the index on key: lookups go by key prefix.
lsh_buckets = Table(
    "lsh_buckets",
    metadata,
    Column("key", LargeBinary, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Index("ix_lsh_buckets_article_id", "article_id"),
)

# -- stories and briefs (0002) --------------------------------------------------------------------


def _article_key(primary_key: bool = True) -> Column[int]:
    return Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=primary_key,
        autoincrement=False,
        nullable=False,
    )


# Float32 little-endian bytes; model names the embedder, so vectors of another model can be told.
article_vectors = Table(
    "article_vectors",
    metadata,
    _article_key(),
    Column("model", Text, nullable=False),
    Column("vector", LargeBinary, nullable=False),
)

# The id is chosen by the pipeline (the id of the story's first article), never by the database.
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("centroid", LargeBinary),
    Column("size", Integer, nullable=False),
    Column("entities", Text, nullable=False),  # JSON object: name -> weight
    Column("first_seen", UTCDateTime),
    Column("last_seen", UTCDateTime, index=True),
    Column("updated_at", UTCDateTime, nullable=False),
    # 0009: the ranking's inputs, kept by triggers (see that migration): distinct publishers of
    # the coverage (near-duplicates included), and its earliest and latest dated article.
    Column("sources", Integer, nullable=False, server_default="0"),
    Column("dated_first", UTCDateTime),
    Column("dated_last", UTCDateTime, index=True),
    # 0015: kept by the same triggers: JSON [[publisher, first dated report (epoch s) or null]]
    Column("publishers", Text, nullable=False, server_default="[]"),
    # 0011: the story's section and the country of its coverage (newsdesk.enrich.sections)
    Column("section", Text),
    Column("nation", Text),
    Index("ix_stories_section", "section", "sources"),
    Index("ix_stories_nation", "nation", "sources"),
)

briefs = Table(
    "briefs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), unique=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), unique=True),
    Column("kind", String(16), nullable=False),
    Column("json", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint(
        "(kind = 'article' AND article_id IS NOT NULL AND story_id IS NULL)"
        " OR (kind = 'story' AND story_id IS NOT NULL AND article_id IS NULL)",
        name="ck_briefs_kind",
    ),
)

# One story per article: the primary key is the article.
story_articles = Table(
    "story_articles",
    metadata,
    _article_key(),
    Column(
        "story_id",
        Integer,
        ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("similarity", Float, nullable=False),
    Column("shared_entities", Text, nullable=False),  # JSON list of names
    Column("reason", Text, nullable=False),
    Column("pinned", Boolean, nullable=False, server_default=false()),
    Column("added_at", UTCDateTime, nullable=False),
)

# An id merged away keeps resolving to the story that absorbed it; always one hop.
story_aliases = Table(
    "story_aliases",
    metadata,
    Column("old_id", Integer, primary_key=True, autoincrement=False),
    Column(
        "story_id",
        Integer,
        ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

article_tags = Table(
    "article_tags",
    metadata,
    _article_key(),
    Column("tag", Text, primary_key=True),
    # (tag, article_id) (0005): a tag's articles nearest an id, read from the index alone.
    Index("ix_article_tags_tag_article", "tag", "article_id"),
)

article_entities = Table(
    "article_entities",
    metadata,
    _article_key(),
    Column("name", Text, primary_key=True),
    Column("type", String(16), primary_key=True),
    Index("ix_article_entities_name_article", "name", "article_id"),
)

# -- failed items (0008) --------------------------------------------------------------------------

# An item (a feed entry or page) that failed to fetch or extract, one row per source and URL:
# attempts counts its failures; payload is its job as JSON (pipeline/job_codec), for a retry.
failed_items = Table(
    "failed_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE")),
    Column("url", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("first_failed_at", UTCDateTime, nullable=False),
    Column("last_failed_at", UTCDateTime, nullable=False, index=True),
    UniqueConstraint("source_id", "url"),
)

# -- lead images (0010) ---------------------------------------------------------------------------

# The image proxy's verdict on an article's lead image: ok (thumbnails on disk) or failed (why,
# and when: not fetched again before web/images.RETRY_FAILED). No row: not tried yet.
image_checks = Table(
    "image_checks",
    metadata,
    _article_key(),
    Column("ok", Boolean, nullable=False),
    Column("reason", Text),
    Column("checked_at", UTCDateTime, nullable=False),
)
