"""One Redis client for one purpose, and what its callers do when Redis is down: the first
failure logs one warning, then for RETRY_AFTER seconds every call raises Unavailable at once (the
caller uses its per-process way) before Redis is tried again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from newsdesk.config import Settings
from newsdesk.errors import ConfigError

if TYPE_CHECKING:
    import redis

log = logging.getLogger("newsdesk.shared")
RETRY_AFTER = 5.0  # seconds between two tries of a Redis that failed
T = TypeVar("T")


class Unavailable(Exception):
    """Redis failed now or a moment ago: use the per-process way."""


class SharedRedis:
    """A Redis client (connecting on first use) whose failures say so once per outage."""

    def __init__(
        self,
        settings: Settings,
        purpose: str,
        *,
        timeout: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import redis  # 0.15 s: loaded only where redis_url is set

        if not settings.redis_url:
            raise ConfigError(f"{purpose} needs NEWSDESK_REDIS_URL (redis://host:port/db)")
        try:
            self.client = redis.Redis.from_url(
                settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout
            )
        except ValueError as exc:
            raise ConfigError(f"NEWSDESK_REDIS_URL={where(settings.redis_url)!r}: {exc}") from None
        self.prefix = settings.redis_prefix
        self.purpose = purpose
        self.where = where(settings.redis_url)
        self._error = redis.RedisError
        self._clock = clock
        self._down_until: float | None = None  # while Redis is taken as down
        self._lock = threading.Lock()

    def key(self, *parts: str) -> str:
        """A key under the settings' prefix."""
        return self.prefix + ":".join(parts)

    @property
    def down(self) -> bool:
        """Whether the last call failed (Redis is taken as down until it answers again)."""
        return self._down_until is not None

    def call(self, action: Callable[[redis.Redis], T]) -> T:
        """action(client), or Unavailable when Redis fails now or failed within RETRY_AFTER."""
        down_until = self._down_until
        if down_until is not None and self._clock() < down_until:
            raise Unavailable(self.where)
        try:
            result = action(self.client)
        except self._error as exc:
            self._failed(exc)
            raise Unavailable(self.where) from None
        if down_until is not None:
            with self._lock:
                self._down_until = None
            log.warning("Redis at %s answers again; %s: shared again", self.where, self.purpose)
        return result

    def close(self) -> None:
        self.client.close()

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self._clock() + RETRY_AFTER
        if first:
            why = " ".join(str(exc).split()) or type(exc).__name__
            log.warning(
                "Redis at %s failed (%s); %s: per process until it answers (retried every %g s)",
                self.where,
                why,
                self.purpose,
                RETRY_AFTER,
            )


def where(url: str) -> str:
    """The Redis URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = f"{parts.username}:***@" if parts.username else ":***@"
        return parts._replace(netloc=user + netloc).geturl()
    except ValueError:
        return "(an unreadable URL)"
