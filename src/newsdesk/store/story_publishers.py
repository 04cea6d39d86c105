"""Who published a story: its distinct publishers, the first to report it first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, union_all

from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, story_articles


class StoryPublisherRepo(Bound):
    def story_publishers(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """Each story's publishers (near-duplicates' included), earliest dated coverage first,
        undated last, then by name; one query for all the stories. Stories with none are left
        out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        link = story_articles
        members = select(link.c.story_id, articles.c.source, articles.c.published).join(
            articles, articles.c.id == link.c.article_id
        )
        copies = select(link.c.story_id, articles.c.source, articles.c.published).join(
            articles, articles.c.duplicate_of == link.c.article_id
        )
        seen = union_all(
            members.where(link.c.story_id.in_(wanted)), copies.where(link.c.story_id.in_(wanted))
        ).subquery("seen")
        query = select(seen.c.story_id, seen.c.source, func.min(seen.c.published)).group_by(
            seen.c.story_id, seen.c.source
        )
        found: dict[int, list[tuple[float, str, str]]] = {}
        for story_id, source, first in self._conn.execute(query):
            when = first.timestamp() if isinstance(first, datetime) else math.inf
            found.setdefault(story_id, []).append((when, source.casefold(), source))
        return {story_id: [key[2] for key in sorted(keys)] for story_id, keys in found.items()}
