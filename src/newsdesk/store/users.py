"""Users, login sessions, API tokens and failed-login records.

The store never sees a raw token: callers pass SHA-256 digests (see newsdesk.accounts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import StoreError
from newsdesk.store.account_tables import api_tokens, login_attempts, sessions, users
from newsdesk.store.bound import Bound

ROLES = ("admin", "member")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: datetime
    password_hash: str = field(default="", repr=False)
    failed_logins: int = 0
    locked_until: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: Row[tuple[object, ...]]) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        created_at=row.created_at,
        password_hash=row.password_hash,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
    )


class NameTakenError(StoreError):
    """A user with that name exists already."""


class UserRepo(Bound):
    def create_user(self, name: str, password_hash: str, role: str, now: datetime) -> User:
        """A new user; NameTakenError when the name (case-insensitively) is taken."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        if self.user_by_name(name) is not None:
            raise NameTakenError(f"store: user {name!r} exists already")
        values = {"name": name, "password_hash": password_hash, "role": role, "created_at": now}
        try:
            with self._conn.begin_nested():
                new_id = self._conn.execute(
                    insert(users).values(**values, failed_logins=0).returning(users.c.id)
                ).scalar_one()
        except IntegrityError:
            raise NameTakenError(f"store: user {name!r} exists already") from None
        return User(id=new_id, name=name, role=role, created_at=now, password_hash=password_hash)

    def user_by_name(self, name: str) -> User | None:
        """The user called name, compared case-insensitively."""
        row = self._conn.execute(
            select(users).where(func.lower(users.c.name) == name.lower())
        ).first()
        return None if row is None else _user(row)

    def user_by_id(self, user_id: int) -> User | None:
        row = self._conn.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else _user(row)

    def set_login_state(self, user_id: int, failed: int, locked_until: datetime | None) -> None:
        self._conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=failed, locked_until=locked_until)
        )

    # -- sessions ---------------------------------------------------------------------------------

    def create_session(
        self, token_hash: str, user_id: int, csrf_secret: str, now: datetime, expires: datetime
    ) -> None:
        self._conn.execute(
            insert(sessions).values(
                token_hash=token_hash,
                user_id=user_id,
                csrf_secret=csrf_secret,
                created_at=now,
                expires_at=expires,
            )
        )

    def session_user(self, token_hash: str, now: datetime) -> tuple[User, str] | None:
        """(user, csrf secret) of an unexpired session, or None."""
        row = self._conn.execute(
            select(users, sessions.c.csrf_secret)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > now)
        ).first()
        return None if row is None else (_user(row), row.csrf_secret)

    def delete_session(self, token_hash: str) -> None:
        self._conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def delete_expired_sessions(self, now: datetime) -> int:
        return self._conn.execute(delete(sessions).where(sessions.c.expires_at <= now)).rowcount

    # -- API tokens -------------------------------------------------------------------------------

    def create_api_token(self, token_hash: str, user_id: int, name: str, now: datetime) -> None:
        self._conn.execute(
            insert(api_tokens).values(
                token_hash=token_hash, user_id=user_id, name=name, created_at=now
            )
        )

    def token_user(self, token_hash: str) -> User | None:
        row = self._conn.execute(
            select(users)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == token_hash)
        ).first()
        return None if row is None else _user(row)

    # -- failed logins ----------------------------------------------------------------------------

    def record_login_failure(self, keys: list[str], now: datetime) -> None:
        self._conn.execute(insert(login_attempts), [{"key": key, "at": now} for key in keys])

    def login_failures(self, key: str, since: datetime) -> int:
        return self._conn.execute(
            select(func.count())
            .select_from(login_attempts)
            .where(login_attempts.c.key == key, login_attempts.c.at > since)
        ).scalar_one()

    def clear_login_failures(self, key: str) -> None:
        self._conn.execute(delete(login_attempts).where(login_attempts.c.key == key))

    def delete_login_failures_before(self, cutoff: datetime) -> int:
        """Forget failed logins at or before cutoff; the number forgotten."""
        return self._conn.execute(
            delete(login_attempts).where(login_attempts.c.at <= cutoff)
        ).rowcount
