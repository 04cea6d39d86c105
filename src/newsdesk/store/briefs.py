"""Briefs of articles and stories, stored as JSON (brief_codec) with the version of their shape."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_, select

from newsdesk.dates import utcnow
from newsdesk.errors import StoreError
from newsdesk.models import Brief, Teaser
from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.brief_codec import BRIEF_VERSION, decode_brief, decode_teaser, encode_brief
from newsdesk.store.schema import articles, briefs


def _one_owner(article_id: int | None, story_id: int | None) -> None:
    if (article_id is None) == (story_id is None):
        raise StoreError("store: a brief belongs to exactly one of article_id or story_id")


class BriefRepo(Bound):
    def save_brief(
        self,
        brief: Brief,
        *,
        article_id: int | None = None,
        story_id: int | None = None,
        version: int = BRIEF_VERSION,
    ) -> None:
        """Store (or replace) the brief of one article or one story (an alias means its story)."""
        _one_owner(article_id, story_id)
        if story_id is not None:
            story_id = follow_alias(self._conn, story_id)
        key = "article_id" if article_id is not None else "story_id"
        stmt = self._dialect.upsert(briefs, [key], ["json", "version", "created_at"])
        self._conn.execute(
            stmt,
            {
                "article_id": article_id,
                "story_id": story_id,
                "kind": "article" if article_id is not None else "story",
                "json": encode_brief(brief),
                "version": version,
                "created_at": utcnow(),
            },
        )

    def get_brief(
        self, *, article_id: int | None = None, story_id: int | None = None
    ) -> Brief | None:
        """The stored brief of the article or story (aliases followed), or None when none is."""
        _one_owner(article_id, story_id)
        if article_id is not None:
            where = briefs.c.article_id == article_id
        else:
            where = briefs.c.story_id == follow_alias(self._conn, story_id or 0)
        text = self._conn.execute(select(briefs.c.json).where(where)).scalar()
        return None if text is None else decode_brief(text)

    def story_teasers(self, story_ids: Sequence[int]) -> dict[int, Teaser]:
        """The teaser of each story's brief (current ids, not aliases); stories with none are
        left out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        query = select(briefs.c.story_id, briefs.c.json).where(briefs.c.story_id.in_(wanted))
        return {row.story_id: decode_teaser(row.json) for row in self._conn.execute(query)}

    def story_briefs(self, story_ids: Sequence[int]) -> dict[int, Brief]:
        """The whole brief of each story (current ids, not aliases) in one query; stories with
        none are left out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        query = select(briefs.c.story_id, briefs.c.json).where(briefs.c.story_id.in_(wanted))
        return {row.story_id: decode_brief(row.json) for row in self._conn.execute(query)}

    def article_briefs(self, article_ids: Sequence[int]) -> dict[int, Brief]:
        """The whole brief of each article in one query; articles with none are left out."""
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        query = select(briefs.c.article_id, briefs.c.json).where(briefs.c.article_id.in_(wanted))
        return {row.article_id: decode_brief(row.json) for row in self._conn.execute(query)}

    def article_teasers(self, article_ids: Sequence[int]) -> dict[int, Teaser]:
        """The teaser of each article's brief in one query; articles with none are left out."""
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        query = select(briefs.c.article_id, briefs.c.json).where(briefs.c.article_id.in_(wanted))
        return {row.article_id: decode_teaser(row.json) for row in self._conn.execute(query)}

    def articles_without_brief(
        self, limit: int = 1000, *, older_than: int | None = None
    ) -> list[int]:
        """Canonical articles with no brief (or one of version < older_than), oldest id first."""
        missing: ColumnElement[bool] = briefs.c.id.is_(None)
        if older_than is not None:
            missing = or_(missing, briefs.c.version < older_than)
        query = (
            select(articles.c.id)
            .select_from(articles.outerjoin(briefs, briefs.c.article_id == articles.c.id))
            .where(articles.c.duplicate_of.is_(None), missing)
            .order_by(articles.c.id)
            .limit(max(0, limit))
        )
        return list(self._conn.execute(query).scalars())
