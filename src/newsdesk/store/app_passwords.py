"""Per-user app passwords for feed-reader apps; the store keeps only digests of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update

from newsdesk.store.bound import Bound
from newsdesk.store.personal_tables import app_passwords


@dataclass(frozen=True)
class AppPassword:
    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _app_password(row: object) -> AppPassword:
    m = row._mapping  # type: ignore[attr-defined]
    return AppPassword(m["id"], m["user_id"], m["name"], m["created_at"], m["last_used_at"])


class AppPasswordRepo(Bound):
    def create_app_password(
        self, user_id: int, name: str, secret_hash: str, fever_hash: str, now: datetime
    ) -> AppPassword:
        new_id = self._conn.execute(
            insert(app_passwords)
            .values(
                user_id=user_id,
                name=name,
                secret_hash=secret_hash,
                fever_hash=fever_hash,
                created_at=now,
            )
            .returning(app_passwords.c.id)
        ).scalar_one()
        return AppPassword(new_id, user_id, name, now, None)

    def app_password_by_hash(self, digest: str) -> AppPassword | None:
        """The app password whose secret or Fever key digest this is."""
        row = self._conn.execute(
            select(app_passwords).where(
                or_(app_passwords.c.secret_hash == digest, app_passwords.c.fever_hash == digest)
            )
        ).first()
        return None if row is None else _app_password(row)

    def touch_app_password(self, password_id: int, now: datetime) -> None:
        self._conn.execute(
            update(app_passwords).where(app_passwords.c.id == password_id).values(last_used_at=now)
        )

    def app_passwords_of(self, user_id: int) -> list[AppPassword]:
        query = (
            select(app_passwords)
            .where(app_passwords.c.user_id == user_id)
            .order_by(app_passwords.c.id)
        )
        return [_app_password(row) for row in self._conn.execute(query)]

    def delete_app_password(self, user_id: int, password_id: int) -> bool:
        gone = self._conn.execute(
            delete(app_passwords).where(
                app_passwords.c.user_id == user_id, app_passwords.c.id == password_id
            )
        )
        return gone.rowcount > 0
