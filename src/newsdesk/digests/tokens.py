"""The secret links of a digest: the private Atom feed and the unsubscribe link.

A token is shown once (the feed link on the settings page, the unsubscribe link in one e-mail)
and the store keeps only its SHA-256, as it does for session and API tokens (accounts). So the
unsubscribe link is new in every e-mail: a digest that was sent replaces the one before, and an
older e-mail's link then finds nothing (its page says how to stop digests from the settings).
"""

from __future__ import annotations

from newsdesk.accounts import new_token, token_hash
from newsdesk.store import Repo
from newsdesk.store.digests import DigestSettings

FEED = "feed_token_hash"
UNSUBSCRIBE = "unsubscribe_token_hash"


def new_feed_link(repo: Repo, user_id: int) -> str:
    """A new private feed token for the reader (the old one stops working); shown once."""
    token = new_token()
    repo.set_digest(user_id, feed_token_hash=token_hash(token))
    return token


def new_unsubscribe_token() -> tuple[str, str]:
    """A token for one e-mail's unsubscribe link, and what the store keeps of it once sent."""
    token = new_token()
    return token, token_hash(token)


def _by_token(repo: Repo, column: str, token: str) -> DigestSettings | None:
    # A token is token_urlsafe(32): anything much longer is not one, and is not hashed.
    if not token or len(token) > 100:
        return None
    return repo.digest_by_token(column, token_hash(token))


def feed_owner(repo: Repo, token: str) -> DigestSettings | None:
    """The digest whose private feed token this is, or None."""
    return _by_token(repo, FEED, token)


def unsubscribe_owner(repo: Repo, token: str) -> DigestSettings | None:
    """The digest whose latest e-mail carried this unsubscribe token, or None."""
    return _by_token(repo, UNSUBSCRIBE, token)
