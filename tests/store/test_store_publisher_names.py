"""Migration 0007: stored articles and sightings take the one publisher name."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from newsdesk.store import Store
from newsdesk.store.dialect import dialect_for
from newsdesk.store.migrate import upgrade

NOW = datetime(2026, 1, 1, tzinfo=UTC)
GUARDIAN = "https://www.theguardian.com/world/2024/x"
EXAMPLE = "https://news.example.org/a"

ARTICLES = [
    # id, source, url, canonical_url, site_name, title
    (1, "theguardian.com", GUARDIAN, GUARDIAN, None, "Bridge"),
    (2, "DAILY EXAMPLE", EXAMPLE, EXAMPLE, "DAILY EXAMPLE", "Council"),
    (3, "Storm hits the coast", None, "https://example.org/s", "Storm hits the coast",
     "Storm hits the coast"),
]  # fmt: skip
SIGHTINGS = [
    # id, article_id, ref, source, url
    (1, 1, f"theguardian.com|{GUARDIAN}", "theguardian.com", GUARDIAN),
    (2, 1, f"The Guardian|{GUARDIAN}", "The Guardian", GUARDIAN),
    (3, 1, f"the Guardian|{GUARDIAN}", "the Guardian", GUARDIAN),
    (4, 2, f"DAILY EXAMPLE|{EXAMPLE}", "DAILY EXAMPLE", EXAMPLE),
    (5, 3, "file:///pages/storm.html", "Storm hits the coast", None),
]


def test_upgrade_renames_articles_and_sightings(db_url: str) -> None:
    with Store.open(db_url, migrate=False) as old:
        upgrade(old.engine, dialect_for(old.dialect), "0006")
        with old.engine.begin() as conn:
            for id_, source, url, canonical, site_name, title in ARTICLES:
                conn.execute(
                    text(
                        "INSERT INTO articles (id, source, url, canonical_url, site_name, title,"
                        " text, created_at) VALUES (:id, :source, :url, :canonical, :site_name,"
                        " :title, 'Body text.', :now)"
                    ),
                    {"id": id_, "source": source, "url": url, "canonical": canonical,
                     "site_name": site_name, "title": title, "now": NOW},
                )  # fmt: skip
            for id_, article_id, ref, source, url in SIGHTINGS:
                conn.execute(
                    text(
                        "INSERT INTO sightings (id, article_id, ref, source, url, seen_at)"
                        " VALUES (:id, :article_id, :ref, :source, :url, :now)"
                    ),
                    {"id": id_, "article_id": article_id, "ref": ref, "source": source,
                     "url": url, "now": NOW},
                )  # fmt: skip
    with Store.open(db_url) as new, new.engine.connect() as conn:
        articles = dict(conn.execute(text("SELECT id, source FROM articles")).all())
        sightings = conn.execute(
            text("SELECT id, source, ref FROM sightings ORDER BY id")
        ).all()  # fmt: skip
    assert articles == {1: "The Guardian", 2: "Daily Example", 3: "example.org"}
    assert [tuple(row) for row in sightings] == [
        (1, "The Guardian", f"The Guardian|{GUARDIAN}"),
        (4, "Daily Example", f"Daily Example|{EXAMPLE}"),
        (5, "example.org", "file:///pages/storm.html"),
    ]
