"""What feed-reader apps read: a reader's follows as feeds, and the articles they reach as items.

A feed is one follow (a source, person, organisation, place, tag, section or saved search); its
items are the canonical articles it reaches, so one article reached through a duplicate or
through two follows is one item, whose id is the article's. Apps page by id (newest stored,
highest id) and ask for items stored before or after a time (created_at: when newsdesk stored
it, which only grows, so an app that syncs "since my last sync" misses nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from newsdesk.store.articles import ID_BATCH
from newsdesk.store.follows import Follow
from newsdesk.store.personal_tables import article_reads, saved_items
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    articles,
    sightings,
    stories,
    story_articles,
)
from newsdesk.store.search import SearchRepo

ITEMS = 50  # a page of items when the app does not say
MAX_ITEMS = 1000  # the most items one request may ask for
MAX_IDS = 10_000  # the most ids one request may ask for (an app's list of unread ids)
SEARCH_FEED_ITEMS = 200  # a saved search, as a feed, is its best matches
ENTITY_KINDS = ("person", "organization", "place")


@dataclass(frozen=True, slots=True)
class ReaderItem:
    """One item as the apps show it; feed_id is the follow it came through (None: saved only)."""

    id: int
    title: str
    url: str | None
    source: str
    byline: str | None
    published: datetime | None
    created_at: datetime
    text: str
    feed_id: int | None
    read: bool
    starred: bool


def _canonical() -> ColumnElement[int]:
    return func.coalesce(articles.c.duplicate_of, articles.c.id)


class ReaderItemRepo(SearchRepo):
    # -- which items a feed reaches -----------------------------------------------------------

    def _reached(self, feed: Follow) -> Select[int, int]:
        """(item id, feed id) of every canonical article the feed reaches."""
        item, feed_id = _canonical().label("item_id"), literal(feed.id).label("feed_id")
        if feed.kind == "source":
            return select(item, feed_id).where(articles.c.source == feed.value)
        if feed.kind in ENTITY_KINDS:
            return (
                select(item, feed_id)
                .select_from(
                    article_entities.join(articles, articles.c.id == article_entities.c.article_id)
                )
                .where(article_entities.c.name == feed.value)
            )
        if feed.kind == "tag":
            names = {feed.value, "#" + feed.value.lstrip("#")}
            return (
                select(item, feed_id)
                .select_from(
                    article_tags.join(articles, articles.c.id == article_tags.c.article_id)
                )
                .where(article_tags.c.tag.in_(names))
            )
        if feed.kind == "section":
            return (
                select(item, feed_id)
                .select_from(
                    story_articles.join(
                        articles, articles.c.id == story_articles.c.article_id
                    ).join(stories, stories.c.id == story_articles.c.story_id)
                )
                .where(or_(stories.c.section == feed.value, stories.c.nation == feed.value))
            )
        # A saved search: its best matches now (search answers canonical articles only).
        found = [hit.article_id for hit in self.search(feed.value, limit=SEARCH_FEED_ITEMS)]
        return select(articles.c.id.label("item_id"), feed_id).where(articles.c.id.in_(found))

    def _matches(self, feeds: Sequence[Follow]) -> Select[int, int]:
        parts = [self._reached(feed) for feed in feeds]
        if not parts:
            return select(literal(0).label("item_id"), literal(0).label("feed_id")).where(
                literal(False)
            )
        if len(parts) == 1:
            return parts[0]
        union = union_all(*parts).subquery("reached")
        return select(union.c.item_id, union.c.feed_id)

    @staticmethod
    def _read_by(user_id: int, item: ColumnElement[int]) -> ColumnElement[bool]:
        return exists().where(
            article_reads.c.user_id == user_id, article_reads.c.article_id == item
        )

    @staticmethod
    def _starred_by(user_id: int, item: ColumnElement[int]) -> ColumnElement[bool]:
        return exists().where(
            saved_items.c.user_id == user_id,
            saved_items.c.kind == "article",
            saved_items.c.target_id == item,
        )

    @staticmethod
    def _saved_of(user_id: int) -> Select[int]:
        return select(saved_items.c.target_id.label("item_id")).where(
            saved_items.c.user_id == user_id, saved_items.c.kind == "article"
        )

    # -- streams ------------------------------------------------------------------------------

    def reader_item_ids(
        self,
        user_id: int,
        feeds: Sequence[Follow] | None,
        *,
        unread_only: bool = False,
        read_only: bool = False,
        starred_only: bool = False,
        newer_than: datetime | None = None,
        older_than: datetime | None = None,
        after_id: int | None = None,
        oldest_first: bool = False,
        limit: int = ITEMS,
    ) -> list[tuple[int, datetime]]:
        """(id, stored at) of the items the feeds reach (feeds None: the reader's starred
        ones), newest first or oldest first; after_id continues a page (ids below it, or above
        it oldest first). Read from what the feeds reach (their indexes), never by walking
        every article: the cost follows the reader's feeds, not the size of the store."""
        starred = feeds is None
        reached = (self._saved_of(user_id) if feeds is None else self._matches(feeds)).subquery("m")
        item = reached.c.item_id
        where: list[ColumnElement[bool]] = []
        if unread_only:
            where.append(~self._read_by(user_id, item))
        if read_only:
            where.append(self._read_by(user_id, item))
        if starred_only and not starred:
            where.append(self._starred_by(user_id, item))
        if after_id is not None:
            where.append(item > after_id if oldest_first else item < after_id)
        source: FromClause = reached
        # Items are canonical by construction (the union maps a copy to its original); a saved
        # id and a time limit need the article row, the rest is read from the indexes alone.
        if starred or newer_than is not None or older_than is not None:
            source = reached.join(articles, articles.c.id == item)
            where.append(articles.c.duplicate_of.is_(None))
            if newer_than is not None:
                where.append(articles.c.created_at > newer_than)
            if older_than is not None:
                where.append(articles.c.created_at < older_than)
        query = (
            select(item)
            .select_from(source)
            .where(*where)
            .distinct()
            .order_by(item.asc() if oldest_first else item.desc())
            .limit(max(0, min(limit, MAX_IDS)))
        )
        found = list(self._conn.execute(query).scalars())
        return list(zip(found, self._stored_at(found).values(), strict=True))

    def _stored_at(self, item_ids: Sequence[int]) -> dict[int, datetime]:
        """When each of these articles was stored, in the order given."""
        stored: dict[int, datetime] = {}
        for start in range(0, len(item_ids), ID_BATCH):
            batch = item_ids[start : start + ID_BATCH]
            query = select(articles.c.id, articles.c.created_at).where(articles.c.id.in_(batch))
            stored.update({row.id: row.created_at for row in self._conn.execute(query)})
        return {i: stored[i] for i in item_ids}

    def reader_item_count(self, feeds: Sequence[Follow]) -> int:
        """How many items the feeds reach."""
        reached = self._matches(feeds).subquery("m")
        query = select(func.count(func.distinct(reached.c.item_id)))
        return int(self._conn.execute(query).scalar() or 0)

    def reader_unread_counts(
        self, user_id: int, feeds: Sequence[Follow]
    ) -> tuple[dict[int, tuple[int, datetime]], tuple[int, datetime | None]]:
        """Per feed id (count, newest stored at) of its unread items, and the same for all of
        them (an item reached by two feeds counts once in the total)."""
        reached = self._matches(feeds).subquery("m")
        unread = ~self._read_by(user_id, reached.c.item_id)
        per_feed = (
            select(
                reached.c.feed_id,
                func.count(func.distinct(reached.c.item_id)).label("n"),
                func.max(reached.c.item_id).label("newest"),
            )
            .where(unread)
            .group_by(reached.c.feed_id)
        )
        rows = self._conn.execute(per_feed).all()
        # The newest item has the highest id; its stored time is read once per feed.
        stored = self._stored_at([row.newest for row in rows])
        counts = {row.feed_id: (int(row.n), stored[row.newest]) for row in rows}
        total = select(func.count(func.distinct(reached.c.item_id))).where(unread)
        latest = max((when for _, when in counts.values()), default=None)
        return counts, (int(self._conn.execute(total).scalar() or 0), latest)

    def reader_items(
        self, user_id: int, feeds: Sequence[Follow], item_ids: Sequence[int]
    ) -> list[ReaderItem]:
        """These items (canonical articles; other ids are skipped), in the order asked, with
        the feed each came through and the reader's read and starred marks."""
        wanted = list(dict.fromkeys(item_ids))[:MAX_ITEMS]
        if not wanted:
            return []
        origin: dict[int, int] = {}
        if feeds:
            reached = self._matches(feeds).subquery("m")
            first = (
                select(reached.c.item_id, func.min(reached.c.feed_id).label("feed_id"))
                .where(reached.c.item_id.in_(wanted))
                .group_by(reached.c.item_id)
            )
            origin = {row.item_id: row.feed_id for row in self._conn.execute(first)}
        query = select(
            articles.c.id,
            articles.c.title,
            articles.c.url,
            articles.c.canonical_url,
            articles.c.source,
            articles.c.byline,
            articles.c.published,
            articles.c.created_at,
            articles.c.text,
            self._read_by(user_id, articles.c.id).label("read"),
            self._starred_by(user_id, articles.c.id).label("starred"),
        ).where(articles.c.id.in_(wanted), articles.c.duplicate_of.is_(None))
        rows = {row.id: row for row in self._conn.execute(query)}
        return [
            ReaderItem(
                id=r.id,
                title=r.title,
                url=r.canonical_url or r.url,
                source=r.source,
                byline=r.byline,
                published=r.published,
                created_at=r.created_at,
                text=r.text,
                feed_id=origin.get(r.id),
                read=bool(r.read),
                starred=bool(r.starred),
            )
            for r in (rows[i] for i in wanted if i in rows)
        ]

    def mark_reached_read(
        self, user_id: int, feeds: Sequence[Follow], older_than: datetime | None, now: datetime
    ) -> int:
        """Mark read every unread item the feeds reach, stored before older_than (None: all);
        how many were marked. One INSERT ... SELECT, however many there are."""
        reached = self._matches(feeds).subquery("m")
        where: list[ColumnElement[bool]] = [
            articles.c.id.in_(select(reached.c.item_id)),
            ~self._read_by(user_id, articles.c.id),
        ]
        if older_than is not None:
            where.append(articles.c.created_at <= older_than)
        rows = select(literal(user_id), articles.c.id, literal(now, articles.c.created_at.type))
        marked = self._conn.execute(
            insert(article_reads)
            .from_select(["user_id", "article_id", "read_at"], rows.where(*where))
            .returning(article_reads.c.article_id)
        )
        return len(marked.all())  # rowcount of INSERT ... SELECT is not kept on PostgreSQL

    # -- subscribing --------------------------------------------------------------------------

    def publisher_of_feed(self, feed_url: str) -> str | None:
        """The publisher most articles from this subscribed feed URL name, or None when the
        feed is not one newsdesk polls or has given no article yet."""
        prefix = feed_url.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#"
        query = (
            select(articles.c.source, func.count().label("n"))
            .select_from(sightings.join(articles, articles.c.id == sightings.c.article_id))
            .where(sightings.c.ref.like(prefix + "%", escape="\\"))
            .group_by(articles.c.source)
            .order_by(func.count().desc(), articles.c.source)
            .limit(1)
        )
        row = self._conn.execute(query).first()
        return None if row is None else str(row.source)

    def is_publisher(self, name: str) -> bool:
        """Whether any stored article names this publisher (the /source/NAME pages)."""
        query = select(articles.c.id).where(articles.c.source == name).limit(1)
        return self._conn.execute(query).first() is not None
