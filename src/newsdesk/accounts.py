"""Account rules, the same for the web and the CLI: names and passwords allowed, how passwords
and tokens are kept, and when logging in is refused for a while (throttling).

The store keeps only what this module derives: argon2 hashes of passwords and SHA-256 digests of
session and API tokens. Sessions and cookies are the web's (newsdesk.web.auth).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from newsdesk.store import Repo, Store
from newsdesk.store.users import User

# -- policy ---------------------------------------------------------------------------------------

NAME = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
API_TOKEN_PREFIX = "nd_"  # tells an API token from a session token at a glance


def name_problem(name: str) -> str | None:
    """Why name cannot be a user's name, or None when it can."""
    if not NAME.match(name):
        return "A name has 3 to 32 letters, digits, dots, dashes or underscores."
    return None


def password_problem(password: str) -> str | None:
    """Why password is refused, or None when it is allowed."""
    if len(password) < MIN_PASSWORD:
        return f"A password has at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"A password has at most {MAX_PASSWORD} characters."
    return None


# -- hashing --------------------------------------------------------------------------------------

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(8))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + new_token()


def token_hash(token: str) -> str:
    """What the store keeps of a session or API token."""
    return hashlib.sha256(token.encode()).hexdigest()


# -- throttling -----------------------------------------------------------------------------------

# This many failures inside the window lock the account name (or the address) until they age out.
MAX_USER_FAILURES = 5
MAX_IP_FAILURES = 20
THROTTLE_WINDOW = timedelta(minutes=15)


def _user_key(name: str) -> str:
    return f"user:{name.lower()}"


def login_locked(repo: Repo, name: str, address: str, now: datetime) -> str | None:
    """Why logging in as name from address is refused for now, or None."""
    since = now - THROTTLE_WINDOW
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    if repo.login_failures(_user_key(name), since) >= MAX_USER_FAILURES:
        return (
            f"Too many failed logins for this account: it is locked for {minutes} minutes. "
            "Try again later."
        )
    if repo.login_failures(f"ip:{address}", since) >= MAX_IP_FAILURES:
        return f"Too many failed logins from your address: try again in {minutes} minutes."
    return None


def authenticate(repo: Repo, name: str, password: str, address: str, now: datetime) -> User | None:
    """The user when name and password match; a failure is recorded for throttling."""
    user = repo.user_by_name(name)
    # Hash even for an unknown name, so timing does not tell which names exist.
    ok = verify_password(user.password_hash if user else _dummy_hash(), password)
    user_key = _user_key(name)
    if user is not None and ok:
        repo.clear_login_failures(user_key)
        repo.set_login_state(user.id, 0, None)
        return user
    record_failed_login(repo, name, address, now, user)
    return None


def record_failed_login(
    repo: Repo, name: str | None, address: str, now: datetime, user: User | None = None
) -> None:
    """Count a failed login against the name (when one was given) and the address: the login
    form's and the feed-reader apps' failures share one throttle."""
    keys = [f"ip:{address}"] if name is None else [_user_key(name), f"ip:{address}"]
    repo.record_login_failure(keys, now)
    if user is not None and name is not None:
        failed = repo.login_failures(_user_key(name), now - THROTTLE_WINDOW)
        locked = now + THROTTLE_WINDOW if failed >= MAX_USER_FAILURES else None
        repo.set_login_state(user.id, failed, locked)


def address_locked(repo: Repo, address: str, now: datetime) -> bool:
    """Whether this address failed too often lately (for logins that name no account)."""
    return repo.login_failures(f"ip:{address}", now - THROTTLE_WINDOW) >= MAX_IP_FAILURES


def purge_accounts(store: Store, now: datetime) -> tuple[int, int]:
    """Delete expired sessions and failed logins older than the throttling window; how many of
    each were deleted. Throttling counts only failures inside the window, so it is unchanged."""
    with store.transaction() as repo:
        expired = repo.delete_expired_sessions(now)
        failures = repo.delete_login_failures_before(now - THROTTLE_WINDOW)
    return expired, failures
