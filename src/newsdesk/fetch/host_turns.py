"""Whose turn it is at a host: per_host_delay seconds between the end of one request to a host and
the start of the next. Per Fetcher by default (LocalTurns); with redis_url, one turn for every
process on every host (SharedTurns): at most one request to a host at a time, anywhere.

The shared turn is a Redis key per host, `<prefix>turn:<host>`. Taking a turn sets it (SET NX)
to a token for the longest the request may last (a lease, so a killed worker frees the host);
the request's end replaces it with a gap that expires after per_host_delay. Redis's own clock
runs both: the hosts' clocks never need to agree. Redis down: one warning, then each process
keeps its own turns (LocalTurns) until Redis answers again.
"""

from __future__ import annotations

import contextlib
import math
import secrets
import time
from collections.abc import Callable

from newsdesk.errors import FetchTimeoutError
from newsdesk.shared import SharedRedis, Unavailable

# The longest a fetch waits for its turn at a host our own workers keep busy; past it the fetch
# fails (and the item or source is tried again later), so no worker waits for ever.
TURN_WAIT_LIMIT = 300.0
POLL = 0.05  # seconds between two looks at a host busy with a request elsewhere
# 0: the turn is ours. Else {1, ms}: in the gap after a request, free in ms; {2, ms}: a request
# under way elsewhere (its lease ends in ms, but it usually ends sooner).
_TAKE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if redis.call('GET', KEYS[1]) == 'gap' then return {1, left} end
return {2, left}
"""
_DONE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], 'gap', 'PX', ARGV[2])
else redis.call('DEL', KEYS[1]) end
return 1
"""


class LocalTurns:
    """This Fetcher's own clock per host: the end of its last request there."""

    def __init__(self, delay: float, sleep: Callable[[float], None]) -> None:
        self.delay = delay
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> monotonic end of its last request

    def take(self, host: str, hold: float) -> None:
        """Sleep until per_host_delay has passed since the last request to `host` ended."""
        last = self._last.get(host)
        if last is None:
            return
        wait = last + self.delay - time.monotonic()
        if wait > 0:
            self._sleep(wait)

    def release(self, host: str) -> None:
        self._last[host] = time.monotonic()


class SharedTurns:
    """One turn per host for every process that shares the Redis; see the module docstring."""

    def __init__(
        self, link: SharedRedis, delay: float, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.link = link
        self.delay = delay
        self.local = LocalTurns(delay, sleep)  # while Redis is down
        self._sleep = sleep
        self._take = link.client.register_script(_TAKE)
        self._done = link.client.register_script(_DONE)
        self._held: dict[str, str] = {}  # host -> the token of the turn this Fetcher holds

    def take(self, host: str, hold: float) -> None:
        """Wait for the host's turn and take it for at most `hold` seconds (the request's
        deadline); FetchTimeoutError after TURN_WAIT_LIMIT seconds of waiting."""
        if self.delay <= 0:
            return
        key = self.link.key("turn", host)
        token = secrets.token_hex(8)
        lease = math.ceil((hold + self.delay) * 1000)
        give_up = time.monotonic() + TURN_WAIT_LIMIT
        while True:
            try:
                answer = self.link.call(lambda r: self._take([key], [token, lease], client=r))
            except Unavailable:
                self.local.take(host, hold)
                return
            if answer == 0:
                self._held[host] = token
                return
            state, left = answer
            wait = max(left, 1) / 1000 if state == 1 else POLL
            if time.monotonic() + wait > give_up:
                raise FetchTimeoutError(
                    f"fetch: {host}: no turn at this host within {TURN_WAIT_LIMIT:g} s "
                    "(other workers kept it busy)"
                )
            self._sleep(wait)

    def release(self, host: str) -> None:
        """The request ended: the next one anywhere may start per_host_delay from now."""
        self.local.release(host)
        token = self._held.pop(host, None)
        if token is None:
            return
        gap = math.ceil(self.delay * 1000)
        key = self.link.key("turn", host)
        with contextlib.suppress(Unavailable):  # then the lease runs out by itself
            self.link.call(lambda r: self._done([key], [token, gap], client=r))
