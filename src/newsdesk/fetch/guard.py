"""The SSRF guard: which URLs and addresses a fetch may reach.

Names are resolved with getaddrinfo (which accepts spellings like 2130706433 or 0x7f.1 that
ipaddress rejects) and every resolved address is checked; the transport checks again the
address it actually connects to, so DNS rebinding between the two gets nowhere.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from newsdesk.config import Settings
from newsdesk.errors import BlockedAddressError, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
# Tunnels that embed an IPv4 address (6to4, Teredo) could carry a private one: refuse them whole.
_TUNNELS = (ipaddress.ip_network("2002::/16"), ipaddress.ip_network("2001::/32"))


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses may be connected to: public ones, plus `allowed_networks` (or all)."""

    allow_all: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(
        cls, settings: Settings, allowed_networks: Iterable[str | IPNetwork] = ()
    ) -> AddressPolicy:
        """The policy of the settings; `allowed_networks` opens ranges (tests: 127.0.0.0/8)."""
        nets = tuple(ipaddress.ip_network(n) for n in allowed_networks)
        return cls(allow_all=settings.allow_private_networks, allowed_networks=nets)

    def refusal(self, address: str) -> str | None:
        """Why `address` (an IP literal) may not be reached, or None when it may."""
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
        if self.allow_all or any(ip in net for net in self.allowed_networks):
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            mapped = self.refusal(str(ip.ipv4_mapped))
            return None if mapped is None else f"{ip} maps to {mapped}"
        kind = _blocked_kind(ip)
        return None if kind is None else f"{ip} is a {kind} address"


def _blocked_kind(ip: IPAddress) -> str | None:
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("tunnel (6to4/Teredo)", any(ip in net for net in _TUNNELS)),
        ("non-global", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def resolve_checked(host: str, port: int, policy: AddressPolicy, label: str = "") -> list[str]:
    """Every address `host` resolves to, or BlockedAddressError if any of them is refused.

    `label` (the URL, by default the host) is what error messages name.
    """
    label = label or host
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"fetch: {label}: cannot resolve {host!r} ({exc})", label) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"fetch: {label}: {host!r} resolves to no address", label)
    for address in addresses:
        why = policy.refusal(address)
        if why is not None:
            raise BlockedAddressError(f"fetch: {label}: refused, {why}", label)
    return addresses


def check_url(url: str, settings: Settings, *, policy: AddressPolicy | None = None) -> str:
    """The URL, if it is http(s), has no credentials and resolves only to allowed addresses."""
    policy = policy or AddressPolicy.from_settings(settings)
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"fetch: {url}: not a valid URL ({exc})", url) from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        scheme = parsed.scheme or "none"
        raise FetchError(f"fetch: {url}: scheme {scheme!r} is not http or https", url)
    if parsed.userinfo:
        raise FetchError(f"fetch: {url}: URLs with credentials are refused", url)
    if not parsed.host:
        raise FetchError(f"fetch: {url}: the URL has no host", url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    resolve_checked(parsed.host, port, policy, label=url)
    return url


class RedirectRefused(FetchError):
    """A redirect whose Location is not an http(s) URL (javascript:, data:, feed:, ...)."""

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message, location)
        self.location = location


def refuse_odd_redirect(response: httpx.Response) -> None:
    """A response hook: a redirect to a non-http(s) scheme is a FetchError, raised before httpx
    tries to build the next request from it (which fails with its own InvalidURL otherwise)."""
    if not response.has_redirect_location:
        return
    location = response.headers.get("Location", "")
    match = _SCHEME.match(location)
    if match is None or match.group(1).lower() in ALLOWED_SCHEMES:
        return  # relative, or http(s): the fetcher's hop check judges it
    shown = location.strip()[:200]
    raise RedirectRefused(
        f"fetch: {response.request.url}: redirect to {shown} refused: "
        f"scheme {match.group(1).lower()!r} is not http or https",
        shown,
    )
