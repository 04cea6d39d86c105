"""URL canonicalization: one spelling per article URL, so the same link is recognised again."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, quote, unquote_plus, urlsplit

import idna

from newsdesk.dedup.domains import registrable_domain

# Query parameters that identify a click, campaign or share, never the page itself.
TRACKING_PARAMS = frozenset(
    {
        "__hsfp", "__hssc", "__hstc", "__s", "_bta_c", "_bta_tid", "_ga", "_gl", "_hsenc",
        "_hsmi", "_openstat", "action_object_map", "action_ref_map", "action_type_map",
        "cmp", "cmpid", "dclid", "ef_id", "fb_action_ids", "fb_action_types", "fb_ref",
        "fb_source", "fbclid", "gbraid", "gclid", "gclsrc", "guccounter", "guce_referrer",
        "guce_referrer_sig", "hsctatracking", "icid", "igsh", "igshid", "intcmp", "li_fat_id",
        "mbid", "mc_cid", "mc_eid", "mkt_tok", "msclkid", "ocid", "oly_anon_id", "oly_enc_id",
        "rb_clickid", "ref", "ref_src", "ref_url", "s_cid", "s_kwcid", "sc_cid", "scm",
        "share", "smid", "smtyp", "soc_src", "soc_trk", "spm", "sr_share", "ttclid", "twclid",
        "vero_conv", "vero_id", "wbraid", "wt.mc_id", "wt_mc", "wt_zmc", "xtor", "yclid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "ns_", "piwik_", "matomo_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$&'()*+,;=-._~%"


def canonicalize_url(url: str, *, canonical: str | None = None) -> str:
    """One normalized spelling of `url`, or of `canonical` when that is on the same site.

    `canonical` (the page's rel=canonical or og:url) wins only when it is an absolute
    http(s) URL on the same registrable domain that does not point a deep page at the site's
    home page (a common CMS bug that would merge every article). Never raises for junk: the
    answer is then the input with whitespace and control characters stripped.
    """
    base = _normalize(url)
    if canonical:
        other = _normalize(canonical)
        if _trusted_canonical(base, other):
            return other
    return base


def _trusted_canonical(base: str, other: str) -> bool:
    try:
        mine, theirs = urlsplit(base), urlsplit(other)
        _ = theirs.port  # raises on a port that is not a number
    except ValueError:
        return False
    if theirs.scheme not in _DEFAULT_PORTS or not theirs.hostname or not mine.hostname:
        return False
    if registrable_domain(theirs.hostname) != registrable_domain(mine.hostname):
        return False  # another site claiming the page: syndication or spam, not identity
    return not (theirs.path == "/" and not theirs.query and mine.path != "/")


def _normalize(raw: str) -> str:
    cleaned = _CONTROL.sub("", raw).strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return cleaned
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return f"{scheme}:{cleaned.split(':', 1)[1]}" if scheme else cleaned
    netloc = _netloc(parts, scheme)
    path = _remove_dot_segments(_fix_escapes(parts.path, _PATH_SAFE)) or "/"
    if path != "/":
        path = path.rstrip("/") or "/"
    query = _query(parts.query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def _netloc(parts: SplitResult, scheme: str) -> str:
    userinfo, _, hostport = parts.netloc.rpartition("@")
    host = (parts.hostname or "").rstrip(".")
    host = _idna(unquote_plus(host) if "%" in host else host)
    if ":" in host:  # an IPv6 literal: urlsplit took off its brackets
        host = f"[{host}]"
    try:
        port = parts.port
        port_text = "" if port is None or port == _DEFAULT_PORTS[scheme] else f":{port}"
    except ValueError:  # a port that is not a number: keep what was written
        port_text = ":" + hostport.rsplit(":", 1)[1] if ":" in hostport else ""
    return (f"{userinfo}@" if userinfo else "") + host + port_text


def _idna(host: str) -> str:
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return quote(host.lower(), safe="-._~")


def _fix_escapes(text: str, safe: str) -> str:
    """Decode %-escapes of unreserved characters, upper-case the others, quote what is unsafe."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    return quote(_ESCAPE.sub(fix, text), safe=safe)


def _query(query: str) -> str:
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        key = unquote_plus(piece.split("=", 1)[0]).strip().lower()
        if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
            continue
        kept.append(_fix_escapes(piece, _QUERY_SAFE))
    return "&".join(sorted(kept))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve "." and ".." segments."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)
