"""What a reader saved for later and what they have read (articles one by one, stories whole)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.personal_tables import SAVED_KINDS, article_reads, saved_items, story_reads
from newsdesk.store.schema import story_aliases


class ReadingStateRepo(Bound):
    # -- saved for later --------------------------------------------------------------------------

    def save_item(self, user_id: int, kind: str, target_id: int, now: datetime) -> None:
        """Save an article or story for later (saving twice keeps the first time)."""
        if kind not in SAVED_KINDS:
            raise ValueError(f"kind must be one of {SAVED_KINDS}, not {kind!r}")
        if kind == "story":
            target_id = follow_alias(self._conn, target_id)
        if not self.is_saved(user_id, kind, target_id):
            self._conn.execute(
                insert(saved_items).values(
                    user_id=user_id, kind=kind, target_id=target_id, saved_at=now
                )
            )

    def unsave_item(self, user_id: int, kind: str, target_id: int) -> None:
        self._conn.execute(
            delete(saved_items).where(
                saved_items.c.user_id == user_id,
                saved_items.c.kind == kind,
                saved_items.c.target_id.in_(self._saved_as(kind, target_id)),
            )
        )

    def is_saved(self, user_id: int, kind: str, target_id: int) -> bool:
        return (
            self._conn.execute(
                select(saved_items.c.saved_at).where(
                    saved_items.c.user_id == user_id,
                    saved_items.c.kind == kind,
                    saved_items.c.target_id.in_(self._saved_as(kind, target_id)),
                )
            ).first()
            is not None
        )

    def _saved_as(self, kind: str, target_id: int) -> list[int]:
        """The ids a saved row may name the item by: a story saved before it absorbed another,
        or under an id merged into another since, is the current story."""
        if kind != "story":
            return [target_id]
        current = follow_alias(self._conn, target_id)
        merged = select(story_aliases.c.old_id).where(story_aliases.c.story_id == current)
        return [current, *self._conn.execute(merged).scalars()]

    def saved_among(self, user_id: int, kind: str, target_ids: list[int]) -> set[int]:
        """Which of these articles or current stories the reader saved (a story also under an
        id merged into it since): two queries."""
        wanted = list(dict.fromkeys(target_ids))
        if not wanted:
            return set()
        current_of = {i: i for i in wanted}
        if kind == "story":
            merged = select(story_aliases.c.old_id, story_aliases.c.story_id).where(
                story_aliases.c.story_id.in_(wanted)
            )
            current_of.update((row.old_id, row.story_id) for row in self._conn.execute(merged))
        query = select(saved_items.c.target_id).where(
            saved_items.c.user_id == user_id,
            saved_items.c.kind == kind,
            saved_items.c.target_id.in_(list(current_of)),
        )
        return {current_of[i] for i in self._conn.execute(query).scalars()}

    def saved_of(self, user_id: int, limit: int = 200) -> list[tuple[str, int, datetime]]:
        """(kind, target id, saved at) of a reader's saved items, newest first."""
        query = (
            select(saved_items.c.kind, saved_items.c.target_id, saved_items.c.saved_at)
            .where(saved_items.c.user_id == user_id)
            .order_by(saved_items.c.saved_at.desc())
            .limit(limit)
        )
        return [(r.kind, r.target_id, r.saved_at) for r in self._conn.execute(query)]

    # -- articles read ----------------------------------------------------------------------------

    def mark_articles_read(self, user_id: int, article_ids: list[int], now: datetime) -> None:
        """Mark these articles read (those read already keep their first time)."""
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return
        done = self.read_article_ids(user_id, wanted)
        rows = [
            {"user_id": user_id, "article_id": a, "read_at": now} for a in wanted if a not in done
        ]
        if rows:
            self._conn.execute(insert(article_reads), rows)

    def mark_articles_unread(self, user_id: int, article_ids: list[int]) -> None:
        if article_ids:
            self._conn.execute(
                delete(article_reads).where(
                    article_reads.c.user_id == user_id,
                    article_reads.c.article_id.in_(article_ids),
                )
            )

    def read_article_ids(self, user_id: int, article_ids: list[int]) -> set[int]:
        """Which of these articles the reader has read."""
        if not article_ids:
            return set()
        query = select(article_reads.c.article_id).where(
            article_reads.c.user_id == user_id, article_reads.c.article_id.in_(article_ids)
        )
        return set(self._conn.execute(query).scalars())

    # -- stories read -----------------------------------------------------------------------------

    def mark_story_read(
        self, user_id: int, story_id: int, articles_seen: int, now: datetime
    ) -> None:
        """Remember that the reader opened this story when it had articles_seen articles."""
        story_id = follow_alias(self._conn, story_id)
        values = {"read_at": now, "articles_seen": articles_seen}
        changed = self._conn.execute(
            update(story_reads)
            .where(story_reads.c.user_id == user_id, story_reads.c.story_id == story_id)
            .values(**values)
        )
        if changed.rowcount == 0:
            self._conn.execute(
                insert(story_reads).values(user_id=user_id, story_id=story_id, **values)
            )

    def story_reads_of(self, user_id: int, story_ids: list[int]) -> dict[int, tuple[datetime, int]]:
        """(read at, articles then) of each of these current stories the reader has opened (a
        story read under an id merged into it since counts: the latest read): two queries."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        current_of = {i: i for i in wanted}
        merged = select(story_aliases.c.old_id, story_aliases.c.story_id).where(
            story_aliases.c.story_id.in_(wanted)
        )
        current_of.update((row.old_id, row.story_id) for row in self._conn.execute(merged))
        query = select(story_reads).where(
            story_reads.c.user_id == user_id, story_reads.c.story_id.in_(list(current_of))
        )
        reads: dict[int, tuple[datetime, int]] = {}
        for r in self._conn.execute(query):
            story = current_of[r.story_id]
            if story not in reads or r.read_at > reads[story][0]:
                reads[story] = (r.read_at, r.articles_seen)
        return reads
