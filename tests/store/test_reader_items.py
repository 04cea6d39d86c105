"""What feed-reader apps read, on SQLite and PostgreSQL: a reader's follows as feeds, the
canonical articles they reach as items (one per article), their paging and filters, read and
starred state, counts, marking many read at once, and which feed URL names which publisher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update

from newsdesk.models import Sighting
from newsdesk.store import Store
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    articles,
    stories,
    story_articles,
)
from support.store import ArticleFactory

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FEED = "https://feeds.example/100%_news.xml"  # % and _ are LIKE's wildcards: matched as text


def _stored(store: Store, make_article: ArticleFactory) -> dict[str, int]:
    with store.transaction() as repo:
        ids = {
            "harbour": repo.insert_article(
                make_article("Harbour opens", "The ferry harbour.", sig=1, source="Harbour Times")
            ),
            "fish": repo.insert_article(
                make_article("Fish quotas", "Quotas were cut.", sig=2, source="Harbour Times")
            ),
            "vines": repo.insert_article(
                make_article("Vines", "A record harvest.", sig=3, source="Valley Post")
            ),
            "other": repo.insert_article(
                make_article("Elsewhere", "Nobody follows it.", sig=4, source="Far Away")
            ),
        }
        # Valley Post's near copy of the harbour story: its item is the harbour story's.
        ids["copy"] = repo.insert_article(
            make_article("Harbour opens!", "The ferry harbour.", sig=5, source="Valley Post"),
            duplicate_of=ids["harbour"],
        )
        repo.add_sighting(
            ids["vines"], Sighting("Valley Post", None, "Vines", NOW, ref=f"{FEED}#1")
        )
        conn = repo._conn
        conn.execute(insert(article_tags), [{"article_id": ids["fish"], "tag": "#Quotas"}])
        conn.execute(
            insert(article_entities),
            [{"article_id": ids["harbour"], "name": "Anna Lindqvist", "type": "PERSON"}],
        )
        conn.execute(
            insert(stories),
            [
                {
                    "id": ids["vines"],
                    "title": "Vines",
                    "size": 1,
                    "entities": "{}",
                    "updated_at": NOW,
                    "section": "Business",
                }
            ],
        )
        conn.execute(
            insert(story_articles),
            [
                {
                    "article_id": ids["vines"],
                    "story_id": ids["vines"],
                    "similarity": 1.0,
                    "shared_entities": "[]",
                    "reason": "first",
                    "added_at": NOW,
                }
            ],
        )
        # Stored one day apart, oldest first (created_at is when newsdesk stored each).
        for n, key in enumerate(("harbour", "fish", "vines", "other", "copy")):
            conn.execute(
                update(articles)
                .where(articles.c.id == ids[key])
                .values(created_at=NOW + timedelta(days=n))
            )
    return ids


def test_feeds_reach_each_article_once_with_filters_and_paging(
    store: Store, make_article: ArticleFactory
) -> None:
    ids = _stored(store, make_article)
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        for kind, value in (
            ("source", "Harbour Times"),
            ("source", "Valley Post"),
            ("tag", "#Quotas"),
            ("person", "Anna Lindqvist"),
            ("section", "Business"),
            ("search", "harvest"),
        ):
            repo.follow(ada.id, kind, value, value, NOW)
        feeds = repo.follows_of(ada.id, muted=False)
        by_value = {f.value: f for f in feeds}
    reached = [ids["vines"], ids["fish"], ids["harbour"]]
    with store.transaction(readonly=True) as repo:
        assert [i for i, _ in repo.reader_item_ids(ada.id, feeds)] == reached
        assert repo.reader_item_count(feeds) == 3
        stored = dict(repo.reader_item_ids(ada.id, feeds))
        assert stored[ids["fish"]] == NOW + timedelta(days=1)
        # Each kind of feed on its own.
        for value, expected in (
            ("Valley Post", [ids["vines"], ids["harbour"]]),  # the copy brings the original
            ("#Quotas", [ids["fish"]]),
            ("Anna Lindqvist", [ids["harbour"]]),
            ("Business", [ids["vines"]]),
            ("harvest", [ids["vines"]]),
        ):
            found = repo.reader_item_ids(ada.id, [by_value[value]])
            assert [i for i, _ in found] == expected, value
        # Paging by id, both ways; times compare when each was stored.
        assert [i for i, _ in repo.reader_item_ids(ada.id, feeds, limit=2)] == reached[:2]
        after = repo.reader_item_ids(ada.id, feeds, after_id=reached[1])
        assert [i for i, _ in after] == reached[2:]
        oldest = repo.reader_item_ids(ada.id, feeds, oldest_first=True, after_id=reached[2])
        assert [i for i, _ in oldest] == reached[1::-1]
        newer = repo.reader_item_ids(ada.id, feeds, newer_than=NOW + timedelta(hours=1))
        assert [i for i, _ in newer] == reached[:2]
        older = repo.reader_item_ids(ada.id, feeds, older_than=NOW + timedelta(days=1))
        assert [i for i, _ in older] == [ids["harbour"]]
        # Contents: in the order asked, the first follow that reaches each as its feed; a
        # copy's id and an unknown id are no items.
        items = repo.reader_items(ada.id, feeds, [ids["fish"], ids["copy"], 10**6, ids["harbour"]])
        assert [(i.id, i.feed_id) for i in items] == [
            (ids["fish"], by_value["Harbour Times"].id),
            (ids["harbour"], by_value["Harbour Times"].id),
        ]


def test_read_starred_counts_and_marking_all_read(
    store: Store, make_article: ArticleFactory
) -> None:
    ids = _stored(store, make_article)
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        bob = repo.create_user("bob", "hash", "member", NOW)
        for who in (ada, bob):
            repo.follow(who.id, "source", "Harbour Times", "Harbour Times", NOW)
            repo.follow(who.id, "source", "Valley Post", "Valley Post", NOW)
        feeds = repo.follows_of(ada.id, muted=False)
        bobs = repo.follows_of(bob.id, muted=False)
        harbour_feed, valley_feed = (f.id for f in feeds)
        repo.mark_articles_read(ada.id, [ids["fish"]], NOW)
        repo.save_item(ada.id, "article", ids["other"], NOW)  # starred, followed or not
    with store.transaction(readonly=True) as repo:
        unread = repo.reader_item_ids(ada.id, feeds, unread_only=True)
        assert [i for i, _ in unread] == [ids["vines"], ids["harbour"]]
        assert [i for i, _ in repo.reader_item_ids(ada.id, None)] == [ids["other"]]
        assert repo.reader_item_ids(ada.id, feeds, starred_only=True) == []
        per_feed, (total, newest) = repo.reader_unread_counts(ada.id, feeds)
        # The harbour story counts in both feeds (its copy is Valley Post's), once in all.
        assert per_feed == {
            harbour_feed: (1, NOW),
            valley_feed: (2, NOW + timedelta(days=2)),
        }
        assert (total, newest) == (2, NOW + timedelta(days=2))
        fish = repo.reader_items(ada.id, feeds, [ids["fish"], ids["other"]])
        assert [(i.read, i.starred, i.feed_id) for i in fish] == [
            (True, False, harbour_feed),
            (False, True, None),
        ]
    with store.transaction() as repo:
        # Everything stored up to the second day: the harbour story and the fish (read already).
        assert repo.mark_reached_read(ada.id, feeds, NOW + timedelta(days=1), NOW) == 1
        assert [i for i, _ in repo.reader_item_ids(ada.id, feeds, unread_only=True)] == [
            ids["vines"]
        ]
        assert repo.mark_reached_read(ada.id, feeds, None, NOW) == 1
        assert repo.reader_unread_counts(ada.id, feeds) == ({}, (0, None))
        # Another reader's state is their own.
        assert len(repo.reader_item_ids(bob.id, bobs, unread_only=True)) == 3


def test_which_publisher_a_feed_url_names(store: Store, make_article: ArticleFactory) -> None:
    _stored(store, make_article)
    with store.transaction(readonly=True) as repo:
        assert repo.publisher_of_feed(FEED) == "Valley Post"
        assert repo.publisher_of_feed("https://feeds.example/1000_news.xml") is None
        assert repo.publisher_of_feed("https://feeds.example/100") is None
        assert repo.is_publisher("Harbour Times") and not repo.is_publisher("Nobody Weekly")
