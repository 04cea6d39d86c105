"""Story aliases: an id merged away resolves to the story that absorbed it (always one hop)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from newsdesk.store.schema import story_aliases


def follow_alias(conn: Connection, story_id: int) -> int:
    """The story an alias points to, or story_id itself when it is no alias."""
    query = select(story_aliases.c.story_id).where(story_aliases.c.old_id == story_id)
    current = conn.execute(query).scalar()
    return story_id if current is None else current
