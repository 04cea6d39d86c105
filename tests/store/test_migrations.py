"""Opening a store: migrations from empty, idempotence, one head, the schema the code expects."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from newsdesk.errors import StoreError
from newsdesk.models import Brief
from newsdesk.store import Store, StoryRow
from newsdesk.store.database import parse_url
from newsdesk.store.dialect import dialect_for
from newsdesk.store.migrate import alembic_config, heads, upgrade
from newsdesk.store.schema import metadata
from support.store import ArticleFactory

DIALECT_OWN = {
    "search_vector",
    "ix_articles_search_vector",
    # 0009: sorted (DESC, NULLS LAST) and partial indexes schema.py does not spell
    "ix_stories_ranked",
    "ix_articles_canonical_newest",
    "ix_articles_source_newest",
}
TABLES = {"sources", "articles", "sightings", "fingerprints", "lsh_buckets", "alembic_version"}
STORY_TABLES = {
    "article_vectors",
    "stories",
    "briefs",
    "story_articles",
    "story_aliases",
    "article_tags",
    "article_entities",
}
ACCOUNT_TABLES = {"users", "sessions", "api_tokens", "comments", "login_attempts"}
FAILURE_TABLES = {"failed_items"}
PERSONAL_TABLES = {
    "follows",
    "saved_items",
    "article_reads",
    "story_reads",
    "app_passwords",
    "digests",
}


def test_history_has_one_head() -> None:
    assert heads() == ["0015"]


def test_upgrade_from_empty_creates_every_table(store: Store) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert names >= TABLES | STORY_TABLES | ACCOUNT_TABLES | FAILURE_TABLES | PERSONAL_TABLES
    assert store.revision() == heads()[0]


def test_opening_twice_is_idempotent(db_url: str) -> None:
    with Store.open(db_url) as first, first.transaction() as repo:
        repo.upsert_source("https://example.org/feed")
    with Store.open(db_url) as second:
        assert second.revision() == heads()[0]
        with second.transaction() as repo:
            assert [s.url for s in repo.list_sources()] == ["https://example.org/feed"]


def test_migrations_match_the_tables_the_code_uses(store: Store) -> None:
    def ours(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
        # Full text is the dialect's own storage, outside schema.py by design.
        return not (name or "").startswith("articles_fts") and name not in DIALECT_OWN

    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": ours, "compare_type": True}
        )
        assert compare_metadata(context, metadata) == []


def test_migrate_false_leaves_the_database_alone(db_url: str) -> None:
    with Store.open(db_url, migrate=False) as opened:
        assert opened.revision() is None
        assert "articles" not in inspect(opened.engine).get_table_names()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'wal.db'}") as opened:
        with opened.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0
        assert opened.dialect == "sqlite"


def test_unopenable_sqlite_path_says_why(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    with pytest.raises(StoreError, match=r"^store: cannot open sqlite:///.*x\.db: .+"):
        Store.open(url)


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(StoreError, match="cannot open mysql"):
        Store.open("mysql://u@localhost/db")
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("::nonsense::")


def test_plain_postgresql_urls_use_psycopg3() -> None:
    assert parse_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert parse_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert parse_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"


def test_unreachable_postgresql_says_why() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(StoreError, match=r"^store: cannot open postgresql\+psycopg://u:\*\*\*@"):
        Store.open("postgresql://u:secret@127.0.0.1:1/db?connect_timeout=2")


def test_in_memory_sqlite_keeps_one_database(make_article: ArticleFactory) -> None:
    with Store.open("sqlite://") as memory:
        with memory.transaction() as repo:
            article_id = repo.insert_article(make_article("Kept in memory"))
        with memory.transaction() as repo:
            assert [h.article_id for h in repo.search("memory")] == [article_id]


def test_upgrade_from_0001_keeps_the_articles(db_url: str, make_article: ArticleFactory) -> None:
    with Store.open(db_url, migrate=False) as old:
        upgrade(old.engine, dialect_for(old.dialect), "0001")
        assert old.revision() == "0001"
        assert not STORY_TABLES & set(inspect(old.engine).get_table_names())
        with old.transaction() as repo:
            first = repo.insert_article(make_article("Lava reaches the town", keys=(b"k1",)))
            repo.insert_article(make_article("A copy"), duplicate_of=first)
    with Store.open(db_url) as new:
        assert new.revision() == heads()[0]
        with new.transaction() as repo:
            assert repo.get_article(first).title == "Lava reaches the town"
            assert [h.article_id for h in repo.search("lava")] == [first]
            assert repo.articles_without_brief() == [first]
            repo.upsert_story(StoryRow(id=first, title="Lava"))
            repo.link_article(first, first, similarity=1.0, shared_entities=[], reason="seed")
            repo.save_brief(Brief(lang="en"), article_id=first)
        with new.transaction() as repo:
            assert repo.story_of(first + 1) == first
            assert repo.articles_without_brief() == []


def test_0015_fills_story_publishers_and_its_downgrade_keeps_the_ranking(
    db_url: str, make_article: ArticleFactory
) -> None:
    with Store.open(db_url, migrate=False) as old:
        upgrade(old.engine, dialect_for(old.dialect), "0014")
        with old.transaction() as repo:
            first = repo.insert_article(make_article("Lava reaches the town", source="AP"))
            repo.insert_article(make_article("A copy", source="BBC"), duplicate_of=first)
            repo.upsert_story(StoryRow(id=first, title="Lava"))
            repo.link_article(first, first, similarity=1.0, shared_entities=[], reason="seed")
    with Store.open(db_url) as new:  # the stories written before 0015 get their publishers
        with new.transaction(readonly=True) as repo:
            assert repo.story_publishers([first]) == {first: ["AP", "BBC"]}
        with new.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0014")
        assert "publishers" not in {c["name"] for c in inspect(new.engine).get_columns("stories")}
        with new.transaction() as repo:  # 0009's triggers are back and still count
            repo.insert_article(make_article("Another copy", source="CNN"), duplicate_of=first)
            assert repo.story_breadths([first]) == {first: 3}
        with new.engine.connect() as conn:
            kept = text("SELECT sources FROM stories WHERE id = :id")
            assert conn.execute(kept, {"id": first}).scalar() == 3
