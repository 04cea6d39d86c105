"""A story's section and country: written with its brief, read by lists, pages and the bar."""

from __future__ import annotations

from sqlalchemy import func, select, update

from newsdesk.store.aliases import follow_alias
from newsdesk.store.bound import Bound
from newsdesk.store.schema import stories


class StorySectionRepo(Bound):
    def set_story_section(self, story_id: int, section: str | None, nation: str | None) -> None:
        """Store the section and country (None: no single one) of a story or its alias."""
        current = follow_alias(self._conn, story_id)
        self._conn.execute(
            update(stories).where(stories.c.id == current).values(section=section, nation=nation)
        )

    def story_sections(self, story_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
        """(section, nation) of each of these current story ids, in one query."""
        if not story_ids:
            return {}
        query = select(stories.c.id, stories.c.section, stories.c.nation).where(
            stories.c.id.in_(list(dict.fromkeys(story_ids)))
        )
        return {row.id: (row.section, row.nation) for row in self._conn.execute(query)}

    def section_counts(self) -> dict[str, int]:
        """Stories per section and per country (countries beside sections), for the bar."""
        counts: dict[str, int] = {}
        for column in (stories.c.section, stories.c.nation):
            query = select(column, func.count()).where(column.is_not(None)).group_by(column)
            for name, n in self._conn.execute(query):
                counts[name] = counts.get(name, 0) + int(n)
        return counts
