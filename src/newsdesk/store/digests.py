"""Digest settings per reader: how often, where to, the private feed and unsubscribe tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from newsdesk.store.account_tables import users
from newsdesk.store.bound import Bound
from newsdesk.store.personal_tables import DIGEST_FREQUENCIES, digests


@dataclass(frozen=True)
class DigestSettings:
    user_id: int
    frequency: str = "off"
    email: str | None = None
    feed_token_hash: str | None = None
    unsubscribe_token_hash: str | None = None
    last_sent_at: datetime | None = None


class DigestRepo(Bound):
    def digest_settings(self, user_id: int) -> DigestSettings:
        """A reader's digest settings (frequency 'off' when never set)."""
        row = self._conn.execute(select(digests).where(digests.c.user_id == user_id)).first()
        return DigestSettings(user_id) if row is None else DigestSettings(**row._mapping)

    def set_digest(self, user_id: int, **values: object) -> DigestSettings:
        """Change some of frequency, email, the token digests and last_sent_at."""
        allowed = {
            "frequency",
            "email",
            "feed_token_hash",
            "unsubscribe_token_hash",
            "last_sent_at",
        }
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown digest settings: {sorted(unknown)}")
        if "frequency" in values and values["frequency"] not in DIGEST_FREQUENCIES:
            raise ValueError(f"frequency must be one of {DIGEST_FREQUENCIES}")
        changed = self._conn.execute(
            update(digests).where(digests.c.user_id == user_id).values(**values)
        )
        if changed.rowcount == 0:
            self._conn.execute(insert(digests).values(user_id=user_id, **values))
        return self.digest_settings(user_id)

    def digest_by_token(self, column: str, token_hash: str) -> DigestSettings | None:
        """The settings whose feed_token_hash or unsubscribe_token_hash is token_hash."""
        if column not in ("feed_token_hash", "unsubscribe_token_hash"):
            raise ValueError(f"not a token column: {column!r}")
        row = self._conn.execute(select(digests).where(digests.c[column] == token_hash)).first()
        return None if row is None else DigestSettings(**row._mapping)

    def digests_due(self, frequency: str, sent_before: datetime) -> list[DigestSettings]:
        """Settings of this frequency never sent, or last sent before sent_before."""
        query = select(digests).where(
            digests.c.frequency == frequency,
            (digests.c.last_sent_at.is_(None)) | (digests.c.last_sent_at < sent_before),
        )
        return [DigestSettings(**row._mapping) for row in self._conn.execute(query)]

    def reader_names(self, user_ids: Sequence[int]) -> dict[int, str]:
        """The names of these readers, by user id (a digest greets its reader by name)."""
        if not user_ids:
            return {}
        query = select(users.c.id, users.c.name).where(users.c.id.in_(set(user_ids)))
        return {row.id: row.name for row in self._conn.execute(query)}
