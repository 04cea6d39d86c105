"""The Fetcher: polite, capped, guarded GETs (redirects, robots.txt, retries by hand)."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

import httpx

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooManyRedirectsError,
)
from newsdesk.fetch.body import read_body
from newsdesk.fetch.decode import ACCEPT_ENCODING
from newsdesk.fetch.guard import AddressPolicy, RedirectRefused, check_url
from newsdesk.fetch.host_turns import LocalTurns, SharedTurns
from newsdesk.fetch.robots import RobotsCache, RobotsFile, SharedRobots, robots_url
from newsdesk.fetch.schedule import parse_retry_after
from newsdesk.fetch.transport import build_client, deadline_scope
from newsdesk.models import Fetched
from newsdesk.shared import SharedRedis

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TIMEOUT = 10.0  # robots.txt is small: a short deadline of its own
_RETRYABLE_TRANSPORT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError,
                        httpx.WriteError, httpx.RemoteProtocolError)  # fmt: skip


class _Retry(Exception):
    """An attempt failed in a way worth another try (429, 5xx, a dropped connection)."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class Fetcher:
    """GETs one URL at a time under the settings' caps; reuses one client and robots cache.

    Not thread-safe (its robots cache and per-host clock are plain dicts): use one Fetcher per
    thread, all sharing the one client from build_client. With redis_url, every Fetcher in every
    process shares the per-host turns and the robots.txt answers (host_turns, robots).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.policy = policy or AddressPolicy.from_settings(settings)
        self._owns_client = client is None
        self._client = client or build_client(settings, policy=self.policy)
        self._sleep = sleep
        self._link: SharedRedis | None = None
        self._turns: LocalTurns | SharedTurns = LocalTurns(settings.per_host_delay, sleep)
        self.robots = RobotsCache(settings.user_agent)
        if settings.redis_url:
            self._link = SharedRedis(settings, "per-host politeness and robots.txt")
            self._turns = SharedTurns(self._link, settings.per_host_delay, sleep)
            self.robots = RobotsCache(settings.user_agent, SharedRobots(self._link, sleep))

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client if this Fetcher built it (a client passed in belongs to the caller)."""
        if self._owns_client:
            self._client.close()
        if self._link is not None:
            self._link.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
        budget: float | None = None,
        wait_retry_after: bool = True,
    ) -> Fetched:
        """The response for `url` after redirects and retries; FetchError subclasses on failure.

        `budget` bounds the whole fetch (every attempt and wait) in seconds. With
        wait_retry_after=False a server's Retry-After is never slept: it ends the fetch with an
        HTTPStatusError carrying retry_after, for the caller to schedule the next try (polling).
        """
        check_url(url, self.settings, policy=self.policy)
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        robots = check_robots and self.settings.respect_robots
        s = self.settings
        end = None if budget is None else time.monotonic() + budget
        for attempt in range(max(0, s.retries) + 1):
            total = s.total_timeout
            if end is not None:
                total = min(total, end - time.monotonic())
                if total <= 0:
                    raise FetchTimeoutError(
                        f"fetch: {url}: its time budget of {budget:g} s ran out", url
                    )
            try:
                return self._follow(url, headers, robots, total)
            except _Retry as retry:
                wait = retry.retry_after
                status = getattr(retry.error, "status", 0)
                if wait is not None and (not wait_retry_after or wait > s.max_retry_after):
                    limit = (
                        f", over the {s.max_retry_after:.0f} s limit"
                        if wait > s.max_retry_after
                        else ""
                    )
                    raise HTTPStatusError(
                        f"fetch: {url}: HTTP {status} asks to retry after {wait:.0f} s{limit}",
                        url,
                        status,
                        retry_after=wait,
                    ) from None
                if wait is None:
                    wait = s.backoff * 2**attempt
                out_of_time = end is not None and time.monotonic() + wait >= end
                if attempt >= s.retries or out_of_time:
                    raise retry.error from None
                self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _follow(self, url: str, headers: dict[str, str], robots: bool, total: float) -> Fetched:
        """One attempt: GET `url`, following at most max_redirects redirects by hand.

        Each hop is a response of its own, with its own `total` deadline.
        """
        seen = {url}
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if current != url:
                _check_hop(url, current, self.settings, self.policy)
            if robots:
                self._check_robots(current, total)
            target = self._get(url, current, headers, total)
            if isinstance(target, Fetched):
                return target
            if target in seen:
                raise TooManyRedirectsError(f"fetch: {url}: redirect loop back to {target}", url)
            seen.add(target)
            current = target
        raise TooManyRedirectsError(
            f"fetch: {url}: more than {self.settings.max_redirects} redirects", url
        )

    def _get(self, url: str, current: str, headers: dict[str, str], total: float) -> Fetched | str:
        """One request: the Fetched answer, or the absolute URL a redirect points to."""
        host = httpx.URL(current).host
        try:  # before the deadline starts: politeness is not the server's time
            self._turns.take(host, total)
        except FetchTimeoutError as exc:
            raise FetchTimeoutError(f"fetch: {url}: {exc}", url) from None
        try:
            with (
                deadline_scope(total) as deadline,
                self._client.stream("GET", current, headers=headers) as response,
            ):
                return self._answer(url, current, response, deadline)
        except httpx.TimeoutException as exc:
            why = (
                f"the total deadline of {total:g} s passed"
                if time.monotonic() >= deadline
                else f"{type(exc).__name__} ({exc})"
            )
            error = FetchTimeoutError(f"fetch: {url}: {why}", url)
            if isinstance(exc, httpx.ConnectTimeout) and time.monotonic() < deadline:
                raise _Retry(error) from None
            raise error from None
        except _RETRYABLE_TRANSPORT as exc:
            raise _Retry(FetchError(f"fetch: {url}: {type(exc).__name__} ({exc})", url)) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"fetch: {url}: {type(exc).__name__} ({exc})", url) from None
        except RedirectRefused as exc:  # from the client's response hook
            why = str(exc).removeprefix(f"fetch: {current}: ")
            raise RedirectRefused(f"fetch: {url}: {why}", exc.location) from None
        except httpx.InvalidURL as exc:  # a Location httpx cannot turn into a request
            raise FetchError(
                f"fetch: {url}: {current} redirects to a URL that cannot be followed ({exc})", url
            ) from None
        except BlockedAddressError as exc:  # from the transport, at connect time
            why = str(exc).removeprefix(f"fetch: {host}: ")
            raise BlockedAddressError(f"fetch: {current}: {why} (at connect time)", url) from None
        finally:
            self._turns.release(host)

    def _answer(
        self, url: str, current: str, response: httpx.Response, deadline: float
    ) -> Fetched | str:
        status = response.status_code
        if status in REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise HTTPStatusError(f"fetch: {url}: HTTP {status} with no Location", url, status)
            try:
                return str(httpx.URL(current).join(location.strip()))
            except httpx.InvalidURL as exc:
                raise FetchError(f"fetch: {url}: bad redirect Location ({exc})", url) from None
        if status == 429 or status >= 500:
            error = HTTPStatusError(f"fetch: {url}: HTTP {status} from {current}", url, status)
            raise _Retry(error, parse_retry_after(response.headers.get("Retry-After")))
        if status >= 400:
            raise HTTPStatusError(f"fetch: {url}: HTTP {status} from {current}", url, status)
        not_modified = status == 304
        cap = self.settings.max_bytes
        content = b"" if not_modified else read_body(response, url, cap, deadline)
        content_type, charset = _parse_content_type(response.headers.get("Content-Type", ""))
        return Fetched(
            url=url,
            final_url=current,
            status=status,
            content=content,
            content_type=content_type,
            charset=charset,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            fetched_at=utcnow(),
            not_modified=not_modified,
        )

    def _check_robots(self, url: str, total: float) -> None:
        self.robots.ensure(url, lambda: self._read_robots(url, total))
        if not self.robots.allows(url):
            raise RobotsDisallowedError(f"fetch: {url}: robots.txt disallows this page", url)

    def _read_robots(self, url: str, total: float) -> RobotsFile:
        """Read robots.txt within ROBOTS_TIMEOUT, and within the fetch's own deadline `total`."""
        where = robots_url(url)
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        total = min(ROBOTS_TIMEOUT, total)
        try:
            robots = self._follow(where, headers, robots=False, total=total)
        except _Retry as retry:  # 5xx, 429 or unreachable: allow all, but say so
            return RobotsFile(None, f"robots.txt unavailable ({retry.error})")
        except HTTPStatusError:  # 4xx: there are no rules
            return RobotsFile(None)
        except FetchError as exc:
            return RobotsFile(None, f"robots.txt unreadable ({exc})")
        return RobotsFile(robots.content)


def _check_hop(url: str, hop: str, settings: Settings, policy: AddressPolicy) -> None:
    """The guard on a redirect target; the error names both the URL asked for and the hop."""
    try:
        check_url(hop, settings, policy=policy)
    except FetchError as exc:
        why = str(exc).removeprefix(f"fetch: {hop}: ")
        raise type(exc)(f"fetch: {url}: redirect to {hop} refused: {why}", url) from None


def _parse_content_type(value: str) -> tuple[str, str | None]:
    """(media type in lower case, charset or None) from a Content-Type header."""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset
