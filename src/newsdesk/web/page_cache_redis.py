"""The page cache shared by every web process on every host, in Redis (page_cache_backend=redis).

Same promises as the memory cache (page_cache.PageCache), everywhere at once:
- a page is fresh for `ttl` seconds, then served once more while one process renders it again
  for `stale` seconds more; Redis drops it after ttl + stale (every key has that TTL, so a
  server with `maxmemory-policy volatile-lru` evicts the least read pages first);
- news stored by any process (`newsdesk.shared.news_arrived`, or expire_all here) bumps a
  shared generation: every kept page turns stale at once, but for pages rendered less than
  NEWS_GRACE ago (workers signal each article: under a steady stream of news a page is still
  rendered at most once a NEWS_GRACE, fleet-wide, not once per article);
- a write through any web process (clear here) bumps a shared epoch: every kept page is
  dropped, so the writer's change shows at once on every host.
A lookup reads the page, the generation and the epoch in one MGET. Each process also keeps a
near copy of the pages it read or rendered (within page_cache_mb, as the memory cache): while it
read the counters less than COUNTERS_EVERY ago, a near copy they still allow is served without
asking Redis, so a hit costs what it costs in the memory cache. A stale near copy is served
as it is, as in the memory cache, while the refresh it schedules first asks Redis for a copy
another process rendered meanwhile (renewed) and renders only when there is none. A write or
news elsewhere therefore shows within COUNTERS_EVERY seconds in the other processes, at once in
the one that made it;
writers themselves (logged in) are never served kept pages. Times are wall-clock (time.time):
hosts share them.

Redis down: one warning, then this process keeps pages in its own memory cache until Redis
answers again; the writes and news it saw meanwhile are then passed on (epoch, generation).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.shared import SharedRedis, Unavailable
from newsdesk.shared.news import EPOCH, GENERATION
from newsdesk.web.page_cache import Key, Page, PageCache, PageStore

if TYPE_CHECKING:
    import redis

BACKENDS = ("memory", "redis")
T = TypeVar("T")
TIMEOUT = 0.5  # seconds: a page never waits longer on a Redis that does not answer
# Seconds a process trusts the counters it read: its near copies are served meanwhile. A tenth
# of a second: a round trip per process per 0.1 s at most, whatever the traffic.
COUNTERS_EVERY = 0.1
NEWS_GRACE = 1.0  # seconds: a page this young stays fresh through news
# Keep the page under the generation and epoch current when it is stored, in one round trip.
_PUT = """
local generation = redis.call('GET', KEYS[2]) or '0'
local epoch = redis.call('GET', KEYS[3]) or '0'
redis.call('SET', KEYS[1], generation .. ' ' .. epoch .. ' ' .. ARGV[1], 'PX', ARGV[2])
return {generation, epoch}
"""


def page_cache_for(settings: Settings) -> PageStore:
    """The page cache the settings choose: this process's memory (default) or Redis."""
    backend = settings.page_cache_backend
    if backend not in BACKENDS:
        raise ConfigError(
            f"NEWSDESK_PAGE_CACHE_BACKEND={backend!r} is not one of: {', '.join(BACKENDS)}"
        )
    ttl, size, stale = (
        settings.page_cache_seconds,
        settings.page_cache_mb << 20,
        settings.page_cache_stale_seconds,
    )
    if backend == "memory":
        return PageCache(ttl, size, stale=stale)
    if not settings.redis_url:
        raise ConfigError(
            "NEWSDESK_PAGE_CACHE_BACKEND=redis needs NEWSDESK_REDIS_URL (redis://host:port/db)"
        )
    link = SharedRedis(settings, "page cache", timeout=TIMEOUT)
    return SharedPageCache(link, ttl, size, stale=stale)


class SharedPageCache:
    """Rendered pages in Redis under `<prefix>page:<hash of the key>`; see the module docstring."""

    def __init__(
        self,
        link: SharedRedis,
        ttl: float,
        max_bytes: int,
        *,
        stale: float | None = None,
        clock: Callable[[], float] = time.time,
        counters_every: float = COUNTERS_EVERY,
    ) -> None:
        self.link = link
        self.ttl = ttl
        self.stale = ttl if stale is None else stale
        self.max_bytes = max_bytes  # Redis's own maxmemory bounds the total; this, one page
        self.clock = clock
        self.counters_every = counters_every
        self.local = PageCache(ttl, max_bytes, stale=stale)  # while Redis is down
        self.near = _Near(max_bytes)
        self._seen: tuple[int, int, float] | None = None  # generation, epoch, when (monotonic)
        self._generation = link.key(GENERATION)
        self._epoch = link.key(EPOCH)
        self._put = link.client.register_script(_PUT)
        self._missed: set[str] = set()  # counters to bump when Redis answers again
        self._lock = threading.Lock()
        # Called when the counters show news or a write from another process: what this
        # process derived from the store (the ranking, cards) must be read again before the
        # stale pages render anew, or they render the old news as fresh.
        self.on_news_elsewhere: Callable[[], None] | None = None

    @property
    def enabled(self) -> bool:
        return self.ttl > 0 and self.max_bytes > 0

    @property
    def placeholder(self) -> bytes:
        # This process's own: each kept page records the one it was rendered with.
        return self.local.placeholder

    def lookup(self, key: Key) -> tuple[Page | None, bool]:
        """(page, fresh), as PageCache.lookup, across every process."""
        now = self.clock()
        near = self._near(key, now)
        if near is not None:
            return near
        return self._read(key, now)

    def renewed(self, key: Key) -> Page | None:
        """The copy in Redis when it is fresh (another process rendered it again), else None."""
        page, fresh = self._read(key, self.clock())
        return page if fresh else None

    def _read(self, key: Key, now: float) -> tuple[Page | None, bool]:
        """(page, fresh) from Redis, with the counters; the page is kept near."""
        keys = [self._key(key), self._generation, self._epoch]
        try:
            raw, read_generation, read_epoch = self._call(lambda r: r.mget(keys))
        except Unavailable:
            return self.local.lookup(key)
        generation, epoch = self._saw(int(read_generation or 0), int(read_epoch or 0))
        if not isinstance(raw, bytes):  # absent (None)
            return None, False
        try:
            page, page_epoch = _unpack(raw)
        except ValueError:  # not a page this code wrote (another version): render it again
            return None, False
        if page_epoch < epoch or page.expires + self.stale <= now:
            return None, False
        fresh = page.expires > now and (page.generation >= generation or self._young(page, now))
        self.near.put(key, page, page_epoch)
        return page, fresh

    def put(self, key: Key, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Page:
        """Keep the page, compressed, for ttl + stale seconds (unless it is over 1/8 of
        max_bytes), and return it."""
        packed = zlib.compress(body, 1)
        expires = self.clock() + self.ttl
        page = Page(status, tuple(headers), packed, expires, self.placeholder, packed=True)
        if len(packed) > self.max_bytes // 8:
            return page
        keep_ms = max(1, math.ceil((self.ttl + self.stale) * 1000))
        value = _pack(page)
        keys = [self._key(key), self._generation, self._epoch]
        try:
            generation, epoch = self._call(lambda r: self._put(keys, [value, keep_ms], client=r))
        except Unavailable:
            return self.local.put(key, status, headers, body)
        kept = Page(
            status, page.headers, packed, expires, page.placeholder, int(generation), packed=True
        )
        self.near.put(key, kept, int(epoch))
        return kept

    def expire_all(self) -> None:
        """Every kept page, in every process, turns stale (news arrived)."""
        self._bump(self._generation)
        self.local.expire_all()

    def clear(self) -> None:
        """Every kept page, in every process, is dropped (a write)."""
        self._bump(self._epoch)
        self.local.clear()

    def _near(self, key: Key, now: float) -> tuple[Page, bool] | None:
        """(page, fresh) from this process's copy, while the counters it read lately allow it;
        None: ask Redis."""
        seen = self._seen
        if seen is None or time.monotonic() - seen[2] > self.counters_every:
            return None
        kept = self.near.get(key)
        if kept is None:
            return None
        page, epoch = kept
        if epoch < seen[1] or page.expires + self.stale <= now:
            return None
        return page, page.expires > now and (page.generation >= seen[0] or self._young(page, now))

    def _young(self, page: Page, now: float) -> bool:
        """Rendered less than NEWS_GRACE ago (news since then waits for the next render)."""
        return now - (page.expires - self.ttl) < NEWS_GRACE

    def _saw(self, generation: int, epoch: int) -> tuple[int, int]:
        """Remember the counters just read; a new epoch drops every near copy."""
        with self._lock:
            before = self._seen
            self._seen = (generation, epoch, time.monotonic())
        if before is not None and epoch != before[1]:
            self.near.clear()
        moved = before is not None and (generation > before[0] or epoch != before[1])
        if moved and self.on_news_elsewhere is not None:
            self.on_news_elsewhere()
        return generation, epoch

    def _bump(self, counter: str) -> None:
        try:
            value = int(self._call(lambda r: r.incr(counter)))
        except Unavailable:
            with self._lock:
                self._missed.add(counter)
            return
        with self._lock:  # this process sees its own write or news at once
            if self._seen is not None:
                generation, epoch, at = self._seen
                if counter == self._epoch:
                    self._seen = (generation, value, at)
                else:
                    self._seen = (value, epoch, at)
        if counter == self._epoch:
            self.near.clear()

    def _call(self, action: Callable[[redis.Redis], T]) -> T:
        """action(client) through the link; after an outage, first pass on what was missed."""
        was_down = self.link.down
        result = self.link.call(action)
        if was_down:
            with self._lock:
                missed, self._missed = self._missed, set()
            for counter in sorted(missed):
                self._bump(counter)
            self.local.clear()  # what it kept meanwhile may be older than what others wrote
        return result

    def _key(self, key: Key) -> str:
        digest = hashlib.blake2b(b"\0".join(key), digest_size=16).hexdigest()
        return self.link.key("page", digest)


class _Near:
    """Shared pages this process read or rendered, each with its epoch: an LRU within a byte
    budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Key, tuple[Page, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> tuple[Page, int] | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def put(self, key: Key, page: Page, epoch: int) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0].body)
            self._pages[key] = (page, epoch)
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                _, (dropped, _) = self._pages.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


def _pack(page: Page) -> bytes:
    """The page as kept (after the generation and epoch the script puts in front)."""
    head = [
        page.status,
        page.expires,
        page.placeholder.decode(),
        [[k.decode("latin-1"), v.decode("latin-1")] for k, v in page.headers],
    ]
    return json.dumps(head, separators=(",", ":")).encode() + b"\n" + page.body


def _unpack(raw: bytes) -> tuple[Page, int]:
    """(page, its epoch) from a kept value; ValueError when it is not one."""
    try:
        generation, epoch, rest = raw.split(b" ", 2)
        head, body = rest.split(b"\n", 1)
        status, expires, placeholder, headers = json.loads(head)
        page = Page(
            int(status),
            tuple((k.encode("latin-1"), v.encode("latin-1")) for k, v in headers),
            body,
            float(expires),
            placeholder.encode() or _missing("placeholder"),
            int(generation),
            packed=True,
        )
    except (TypeError, UnicodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a kept page: {exc}") from None
    return page, int(epoch)


def _missing(what: str) -> bytes:
    raise ValueError(f"no {what}")
