"""Who published a story: its distinct publishers, the first to report it first."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from sqlalchemy import select

from newsdesk.store.bound import Bound
from newsdesk.store.schema import stories


class StoryPublisherRepo(Bound):
    def story_publishers(self, story_ids: Sequence[int]) -> dict[int, list[str]]:
        """Each story's publishers (near-duplicates' included), earliest dated coverage first,
        undated last, then by name; read from the stories' rows (kept by the triggers of
        migration 0015), one query for all. Stories with none are left out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        query = select(stories.c.id, stories.c.publishers).where(stories.c.id.in_(wanted))
        found: dict[int, list[str]] = {}
        for story_id, kept in self._conn.execute(query):
            pairs = json.loads(kept)
            if pairs:
                keys = sorted(
                    (math.inf if first is None else float(first), source.casefold(), source)
                    for source, first in pairs
                )
                found[story_id] = [key[2] for key in keys]
        return found
