"""URLs from outside: only http(s) survives, relative ones are resolved against a base."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends,
# so "java\tscript:" and "\x01javascript:" are still javascript: to them.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
MAX_URL = 4096


def _unescape(value: str) -> str:
    # Entities may be escaped more than once ("&amp;#106;avascript:"); a few rounds settle it.
    for _ in range(3):
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    return value


def safe_url(raw: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL made from raw (resolved against base), or None when unsafe/empty."""
    if not raw or len(raw) > MAX_URL:
        return None
    probe = _INVISIBLE.sub("", _unescape(raw))
    if not probe:
        return None
    scheme = _SCHEME.match(probe)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return None
    candidate = _CONTROLS.sub("", raw).strip().replace(" ", "%20")
    if base and not _SCHEME.match(candidate):
        base_ok = safe_url(base) if base != candidate else None
        if base_ok is None:
            return None
        try:
            candidate = urljoin(base_ok, candidate)
        except ValueError:
            return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def host_of(url: str | None) -> str | None:
    """The host name of an http(s) URL, without a leading "www.", or None."""
    safe = safe_url(url)
    if not safe:
        return None
    host = urlsplit(safe).hostname or ""
    return host.removeprefix("www.") or None
