"""Story aliases: an id merged away resolves to the story that absorbed it (always one hop)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from newsdesk.store.schema import story_aliases

# Built once: asked on every story write and read.
_ALIAS_OF = select(story_aliases.c.story_id).where(story_aliases.c.old_id == bindparam("old_id"))


def follow_alias(conn: Connection, story_id: int) -> int:
    """The story an alias points to, or story_id itself when it is no alias."""
    current = conn.execute(_ALIAS_OF, {"old_id": story_id}).scalar()
    return story_id if current is None else current
