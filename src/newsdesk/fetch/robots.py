"""robots.txt rules, one read per origin: kept for the life of a Fetcher, or, with redis_url,
read once for every process on every host and kept in Redis (`<prefix>robots:<robots.txt URL>`)
for a day (RFC 9309's longest), ten minutes when it could not be read. Each process parses what
Redis holds and keeps it LOCAL_SECONDS before looking again. While one process reads an
origin's robots.txt, the others wait for its answer (a lock key beside it) instead of asking
the site too. Redis down: one warning, then each Fetcher reads and keeps its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

from newsdesk.shared import SharedRedis, Unavailable

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB; the rest is ignored
KEEP_SECONDS = 24 * 3600  # rules (or none: a 4xx) in Redis
RETRY_SECONDS = 600  # an unreadable robots.txt in Redis, before someone tries again
LOCAL_SECONDS = 300.0  # a process's parsed copy of what Redis holds
LOCK_SECONDS = 30  # the longest others wait for the process reading an origin's robots.txt
POLL = 0.05  # seconds between two looks for the rules another process is reading


def robots_url(url: str) -> str:
    """The robots.txt URL of the origin (scheme, host, port) of `url`."""
    return str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None))


@dataclass(frozen=True, slots=True)
class RobotsFile:
    """What an origin's robots.txt said: its body, or None for no rules (a 4xx, or unreadable
    when `note` says why)."""

    body: bytes | None
    note: str | None = None


class RobotsCache:
    """Parsed robots.txt per origin; an origin without usable rules allows everything."""

    def __init__(
        self,
        user_agent: str,
        shared: SharedRobots | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.shared = shared
        self._clock = clock
        self._rules: dict[str, tuple[RobotFileParser | None, float]] = {}  # origin -> until
        self.notes: dict[str, str] = {}  # origin -> why its rules could not be read

    def ensure(self, url: str, read: Callable[[], RobotsFile]) -> None:
        """Know the rules of `url`'s origin: kept here, else in Redis, else read() (by one
        process for all when shared)."""
        key = robots_url(url)
        kept = self._rules.get(key)
        if kept is not None and kept[1] > self._clock():
            return
        if self.shared is None:
            self._keep(key, read(), float("inf"))
            return
        self._keep(key, self.shared.fetch(key, read), self._clock() + LOCAL_SECONDS)

    def allows(self, url: str) -> bool:
        """Whether the rules known for `url`'s origin let our user agent fetch it."""
        kept = self._rules.get(robots_url(url))
        parser = None if kept is None else kept[0]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _keep(self, key: str, found: RobotsFile, until: float) -> None:
        parser = None
        if found.body is not None:
            parser = RobotFileParser(key)
            text = found.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
        self._rules[key] = (parser, until)
        if found.note and self.notes.get(key) != found.note:
            self.notes[key] = found.note
            log.warning("%s: %s; allowing all", key, found.note)


class SharedRobots:
    """robots.txt answers in Redis, read by one process for all; see the module docstring."""

    def __init__(self, link: SharedRedis, sleep: Callable[[float], None] = time.sleep) -> None:
        self.link = link
        self._sleep = sleep

    def fetch(self, key: str, read: Callable[[], RobotsFile]) -> RobotsFile:
        """The answer kept in Redis for the origin `key`; else read() it, once for everyone."""
        rules, lock = self.link.key("robots", key), self.link.key("robots-lock", key)
        give_up = time.monotonic() + LOCK_SECONDS
        try:
            while True:
                kept = self.link.call(lambda r: r.get(rules))
                if isinstance(kept, bytes):
                    return _unpack(kept)
                if self.link.call(lambda r: r.set(lock, b"1", nx=True, ex=LOCK_SECONDS)):
                    break  # this process reads it
                if time.monotonic() >= give_up:  # the reader is gone or stuck: read it too
                    return read()
                self._sleep(POLL)
        except Unavailable:
            return read()
        found = read()
        keep = KEEP_SECONDS if found.note is None else RETRY_SECONDS
        try:
            self.link.call(lambda r: r.set(rules, _pack(found), ex=keep))
            self.link.call(lambda r: r.delete(lock))
        except Unavailable:
            pass  # the others read it themselves once the lock runs out
        return found


def _pack(found: RobotsFile) -> bytes:
    if found.body is not None:
        return b"R" + found.body[:MAX_ROBOTS_BYTES]
    return b"N" + (found.note or "").encode()


def _unpack(kept: bytes) -> RobotsFile:
    if kept.startswith(b"R"):
        return RobotsFile(kept[1:])
    return RobotsFile(None, kept[1:].decode("utf-8", errors="replace") or None)
