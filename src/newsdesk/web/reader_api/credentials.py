"""App passwords: what a feed-reader app logs in with, never the account password.

An app password is random (about 103 bits, in groups a person can type on a phone), shown once
and kept only as two SHA-256 digests: of itself (Google Reader's ClientLogin, and the Auth token
it answers, which is the app password itself: an app already holds it, and deleting the app
password ends every session made with it), and of the Fever api_key, md5("name:password").
Failed logins count towards the same throttle as the login form (accounts.login_locked).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from newsdesk import accounts
from newsdesk.store import Repo
from newsdesk.store.app_passwords import AppPassword
from newsdesk.store.users import User

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read off a screen, typed on a phone
GROUPS, GROUP_CHARS = 5, 4
MAX_NAME = 80
MAX_SECRET = 200  # longer is not one of ours: refused before hashing


@dataclass(frozen=True, slots=True)
class NewAppPassword:
    record: AppPassword
    password: str  # shown to the reader once, never kept


def fever_key(user_name: str, password: str) -> str:
    """The Fever api_key an app sends: md5 of "name:password", hex (the protocol's choice)."""
    return hashlib.md5(f"{user_name}:{password}".encode(), usedforsecurity=False).hexdigest()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_password() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_CHARS)) for _ in range(GROUPS))
    return "-".join(groups)


def create(repo: Repo, user: User, name: str, now: datetime) -> NewAppPassword:
    """A new app password for user, named for the app it is for."""
    password = new_password()
    label = " ".join(name.split())[:MAX_NAME] or "Feed reader"
    record = repo.create_app_password(
        user.id, label, digest(password), digest(fever_key(user.name, password)), now
    )
    return NewAppPassword(record, password)


def _user_of(repo: Repo, secret: str, now: datetime | None) -> tuple[User, AppPassword] | None:
    """The owner of the app password this secret is (or makes); now: when it was used to log in
    (requests with a token are not counted: they would make every read a write)."""
    if not secret or len(secret) > MAX_SECRET:
        return None
    found = repo.app_password_by_hash(digest(secret))
    if found is None:
        return None
    user = repo.user_by_id(found.user_id)
    if user is None:
        return None
    if now is not None:
        repo.touch_app_password(found.id, now)
    return user, found


def client_login(repo: Repo, name: str, password: str, address: str, now: datetime) -> User | str:
    """The user for ClientLogin's Email and Passwd (an app password of theirs), or why not."""
    locked = accounts.login_locked(repo, name, address, now)
    if locked is not None:
        return locked
    found = _user_of(repo, password, now)
    if found is not None and found[0].name.lower() == name.strip().lower():
        return found[0]
    accounts.record_failed_login(repo, name, address, now)
    return "Wrong name or app password."


def fever_login(repo: Repo, api_key: str, address: str, now: datetime) -> User | None:
    """The user whose app password makes this Fever api_key; failures count per address."""
    if accounts.address_locked(repo, address, now):
        return None
    found = _user_of(repo, api_key.strip().lower(), now)
    if found is None:
        accounts.record_failed_login(repo, None, address, now)
        return None
    return found[0]


def token_user(repo: Repo, token: str) -> User | None:
    """The user of a ClientLogin Auth token (the app password)."""
    found = _user_of(repo, token, None)
    return None if found is None else found[0]
