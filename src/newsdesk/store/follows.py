"""Follows and mutes: what a reader wants more of, and less of (personal_tables.follows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from newsdesk.store.bound import Bound
from newsdesk.store.personal_tables import FOLLOW_KINDS, follows


@dataclass(frozen=True)
class Follow:
    id: int
    user_id: int
    kind: str
    value: str
    label: str
    muted: bool
    created_at: datetime


class FollowRepo(Bound):
    def follow(
        self, user_id: int, kind: str, value: str, label: str, now: datetime, *, muted: bool = False
    ) -> Follow:
        """Follow (or mute) kind:value; following what is muted unmutes it, and back."""
        if kind not in FOLLOW_KINDS:
            raise ValueError(f"kind must be one of {FOLLOW_KINDS}, not {kind!r}")
        existing = self.follow_of(user_id, kind, value)
        if existing is None:
            self._conn.execute(
                insert(follows).values(
                    user_id=user_id,
                    kind=kind,
                    value=value,
                    label=label,
                    muted=muted,
                    created_at=now,
                )
            )
        elif existing.muted != muted or existing.label != label:
            self._conn.execute(
                update(follows).where(follows.c.id == existing.id).values(muted=muted, label=label)
            )
        found = self.follow_of(user_id, kind, value)
        assert found is not None
        return found

    def unfollow(self, user_id: int, kind: str, value: str) -> bool:
        """Forget kind:value (followed or muted); whether there was such a row."""
        gone = self._conn.execute(
            delete(follows).where(
                follows.c.user_id == user_id, follows.c.kind == kind, follows.c.value == value
            )
        )
        return gone.rowcount > 0

    def follow_of(self, user_id: int, kind: str, value: str) -> Follow | None:
        row = self._conn.execute(
            select(follows).where(
                follows.c.user_id == user_id, follows.c.kind == kind, follows.c.value == value
            )
        ).first()
        return None if row is None else Follow(**row._mapping)

    def follows_of(self, user_id: int, *, muted: bool | None = None) -> list[Follow]:
        """A reader's follows (muted=False), mutes (True) or both (None), oldest first."""
        query = select(follows).where(follows.c.user_id == user_id)
        if muted is not None:
            query = query.where(follows.c.muted == muted)
        return [Follow(**row._mapping) for row in self._conn.execute(query.order_by(follows.c.id))]
