"""The one httpx client: a connection pool whose sockets are guarded and deadline-bound.

httpx only offers read/connect timeouts, which a server dripping one byte a second never trips,
and it connects wherever DNS says. So the pool gets a network backend that (1) resolves, checks
and connects to the checked IP itself (TLS still verifies the hostname), and (2) hands out
streams that shrink every socket timeout to what is left of the current fetch's deadline.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch.guard import AddressPolicy, refuse_odd_redirect, resolve_checked

# The monotonic time the running fetch must end by; set by the Fetcher around each attempt.
# A context variable, not a global: each thread (and each fetch) sees its own.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


@contextmanager
def deadline_scope(seconds: float) -> Iterator[float]:
    """Bound every socket operation of the enclosed requests to `seconds` from now, in total."""
    at = time.monotonic() + seconds
    token = _DEADLINE.set(at)
    try:
        yield at
    finally:
        _DEADLINE.reset(token)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the total deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads and writes never outlive the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the policy allows, checked at connect time (DNS rebinding)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(host, port, self.policy)
        last: Exception = FetchError(f"fetch: {host}: no address to connect to")
        for address in addresses:
            try:
                # Connect to the IP just checked, never to the name (which could re-resolve).
                stream = super().connect_tcp(
                    address,
                    port,
                    timeout=_clamp(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return DeadlineStream(stream)
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with the connection pool built on the guarded backend."""

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits | None = None) -> None:
        limits = limits or httpx.Limits(max_connections=20, max_keepalive_connections=10)
        super().__init__(limits=limits, trust_env=False)
        # HTTPTransport has no seam for the network backend; replacing its pool is the
        # documented httpcore way (ConnectionPool(network_backend=...)) to get one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )


def build_client(settings: Settings, *, policy: AddressPolicy | None = None) -> httpx.Client:
    """The one HTTP client of the process: guarded, no automatic redirects, settings' timeouts."""
    policy = policy or AddressPolicy.from_settings(settings)
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )
    return httpx.Client(
        transport=GuardedTransport(policy),
        timeout=timeout,
        follow_redirects=False,  # by hand, so the guard sees every hop
        headers={"User-Agent": settings.user_agent},
        trust_env=False,  # no proxies from the environment: they would bypass the guard
        event_hooks={"response": [refuse_odd_redirect]},
    )
