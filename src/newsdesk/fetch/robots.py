"""robots.txt rules, one parse per origin, kept for the life of a Fetcher."""

from __future__ import annotations

import logging
from urllib.robotparser import RobotFileParser

import httpx

log = logging.getLogger(__name__)


def robots_url(url: str) -> str:
    """The robots.txt URL of the origin (scheme, host, port) of `url`."""
    return str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None))


class RobotsCache:
    """Parsed robots.txt per origin; an origin without usable rules allows everything."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._rules: dict[str, RobotFileParser | None] = {}
        self.notes: dict[str, str] = {}  # origin -> why its rules could not be read

    def knows(self, url: str) -> bool:
        return robots_url(url) in self._rules

    def store(self, url: str, body: bytes) -> None:
        """Keep the rules read from the robots.txt of `url`'s origin."""
        parser = RobotFileParser(robots_url(url))
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        self._rules[robots_url(url)] = parser

    def allow_all(self, url: str, note: str | None = None) -> None:
        """No rules for `url`'s origin (a 4xx, or unreadable when `note` says why)."""
        key = robots_url(url)
        self._rules[key] = None
        if note:
            self.notes[key] = note
            log.warning("%s: %s; allowing all", key, note)

    def allows(self, url: str) -> bool:
        """Whether the rules known for `url`'s origin let our user agent fetch it."""
        parser = self._rules.get(robots_url(url))
        return parser is None or parser.can_fetch(self.user_agent, url)
