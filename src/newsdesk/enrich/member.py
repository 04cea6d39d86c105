"""A story member: one canonical article of a story, with its brief (what story briefs merge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdesk.models import Brief


@dataclass(frozen=True)
class Member:
    """One canonical article of a story."""

    article_id: int
    source: str
    title: str
    published: datetime | None
    brief: Brief
