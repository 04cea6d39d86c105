"""URLs from outside: only http(s) survives, relative ones are resolved against a base.

`parse_url` is the one gate every parser passes a URL through: it says why a URL is refused
(`BadUrlError`), so the parsers can drop that field and warn. `safe_url` is its quiet form.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urljoin, urlsplit

from newsdesk.errors import BadUrlError

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends,
# so "java\tscript:" and "\x01javascript:" are still javascript: to them.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# What the WHATWG URL standard forbids in a domain (after percent-decoding): such a host
# does not parse in a browser, nor in the sanitizer that rewrites links against a base.
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f\ufffd]")
_NUMERIC_LABEL = re.compile(r"^(?:0[xX][0-9a-fA-F]*|\d+)$")
MAX_URL = 4096


def _unescape(value: str) -> str:
    # Entities may be escaped more than once ("&amp;#106;avascript:"); a few rounds settle it.
    for _ in range(3):
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    return value


def _ipv4_part(label: str) -> int:
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)  # WHATWG reads a leading zero as octal
    return int(label)


def _ipv4_ok(host: str) -> bool:
    """A host whose last label is a number must be an IPv4 address (WHATWG "ends in a number")."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if not _NUMERIC_LABEL.match(labels[-1]):
        return True
    if len(labels) > 4 or not all(_NUMERIC_LABEL.match(label) for label in labels):
        return False
    try:
        parts = [_ipv4_part(label) for label in labels]
    except ValueError:  # "08" is not octal
        return False
    if any(part > 255 for part in parts[:-1]):
        return False
    limit: int = 256 ** (5 - len(parts))
    return parts[-1] < limit


def _check_host(netloc_host: str, url: str) -> None:
    if netloc_host.startswith("["):
        return  # an IPv6 literal: urlsplit has already checked it
    host = unquote(netloc_host, errors="replace")
    if _FORBIDDEN_HOST.search(host):
        raise BadUrlError("a character not allowed in a host name", url)
    if len(host) > 253 * 4:
        raise BadUrlError("the host name is too long", url)
    if not _ipv4_ok(host):
        raise BadUrlError("not a valid IPv4 address", url)


def _checked(candidate: str) -> str:
    """candidate if it is an absolute http(s) URL that parses; BadUrlError says why not."""
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - reading it is what validates the port
    except ValueError as exc:
        raise BadUrlError(_reason(exc), candidate) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadUrlError(f"scheme {parts.scheme or 'none'!r} is not http or https", candidate)
    host = parts.netloc.rpartition("@")[2]
    if host.startswith("[") and "]" in host:
        host = host[: host.index("]") + 1]
    else:
        host = host.rpartition(":")[0] if ":" in host else host
    if not host or not parts.hostname:
        raise BadUrlError("no host", candidate)
    _check_host(host, candidate)
    return candidate


def _reason(exc: ValueError) -> str:
    text = str(exc)
    if "IPv6" in text or "IPv4 or IPv6" in text:
        return "not a valid IPv6 address"
    if "Port" in text or "port" in text:
        return "not a valid port"
    return "does not parse"


def parse_url(raw: str | None, base: str | None = None) -> str | None:
    """The absolute http(s) URL that raw says (resolved against base).

    None when raw is empty, or relative with no usable base: nothing was given. BadUrlError
    when something was given that is not a usable http(s) URL; its reason says why.
    """
    if not raw:
        return None
    if len(raw) > MAX_URL:
        raise BadUrlError(f"longer than {MAX_URL} characters", raw)
    probe = _INVISIBLE.sub("", _unescape(raw))
    if not probe:
        return None
    scheme = _SCHEME.match(probe)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise BadUrlError(f"scheme {scheme.group(1).lower()!r} is not http or https", raw)
    candidate = _CONTROLS.sub("", raw).strip().replace(" ", "%20")
    if base and not _SCHEME.match(candidate):
        base_ok = safe_url(base) if base != candidate else None
        if base_ok is None:
            return None
        try:
            candidate = urljoin(base_ok, candidate)
        except ValueError as exc:
            raise BadUrlError(_reason(exc), raw) from None
    elif not _SCHEME.match(candidate):
        return None  # relative, and nothing to resolve it against (a local file)
    return _checked(candidate)


def safe_url(raw: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL made from raw (resolved against base), or None when unsafe/empty."""
    try:
        return parse_url(raw, base)
    except BadUrlError:
        return None


def subscription_refusal(url: str) -> str | None:
    """Why url cannot be subscribed to, in a few words, or None when it can.

    One rule for every way in (the JSON API, OPML import): an http(s) URL that parses, with a
    host, and without credentials (a password in a feed URL would be stored and shown).
    """
    try:
        parse_url(url.strip())
    except BadUrlError:
        return "must be an http or https URL with a host"
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an http or https URL with a host"
    if parts.username or parts.password:
        return "URLs with credentials are refused"
    return None


def shown_url(url: str, limit: int = 100) -> str:
    """url for a message: credentials masked, control characters escaped, cut to limit."""
    try:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            url = url.replace(parts.netloc, "***@" + parts.netloc.rpartition("@")[2], 1)
    except ValueError:
        pass
    text = ascii(url)[1:-1] if _CONTROLS.search(url) else url
    return text if len(text) <= limit else text[: limit - 1] + "…"


def host_of(url: str | None) -> str | None:
    """The host name of an http(s) URL, without a leading "www.", or None."""
    safe = safe_url(url)
    if not safe:
        return None
    host = urlsplit(safe).hostname or ""
    return host.removeprefix("www.") or None
