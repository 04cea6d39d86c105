"""What a blob of bytes is: feed, OPML, JSON Lines, HTML or text. Content first, hints second."""

from __future__ import annotations

import codecs
import re

from newsdesk.sources.jsontext import loads

_HEAD = 8192
_PROLOG = re.compile(
    r"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I
)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_WRAPPED_FEED = re.compile(r'<(?:rss\s+version=|feed\s+xmlns="http://www\.w3\.org/2005/Atom")')
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_HTML_ROOTS = {"html", "head", "body", "div", "p", "meta", "title", "article", "section", "table"}
_BY_SUFFIX = {
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".opml": "opml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
}


def _head_text(data: bytes) -> str:
    head = data[:_HEAD]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _hint(name: str | None, content_type: str | None) -> str | None:
    if name:
        lowered = name.lower().removesuffix(".gz")
        for suffix, kind in _BY_SUFFIX.items():
            if lowered.endswith(suffix):
                return kind
    kind_of = (content_type or "").lower().split(";")[0].strip()
    if "opml" in kind_of:
        return "opml"
    if kind_of in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    if kind_of in ("text/html", "application/xhtml+xml"):
        return "html"
    if any(t in kind_of for t in ("rss", "atom", "xml", "feed+json", "json")):
        return "feed"
    return None


def _json_kind(data: bytes, head: str, hint: str | None) -> str:
    if "jsonfeed.org/version" in head:
        return "feed"
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].strip().startswith("{") and lines[0].strip().endswith("}"):
        try:
            loads(lines[0])
            return "jsonl"  # a complete object on the first line, and more lines after it
        except (ValueError, RecursionError):
            pass
    if hint in ("jsonl", "feed"):
        return hint
    return "feed" if re.search(r'"items"\s*:', head) or '"rss"' in head else "jsonl"


def sniff(data: bytes, *, name: str | None = None, content_type: str | None = None) -> str:
    """One of "feed", "opml", "jsonl", "html", "text": by content first, name/type as hints."""
    hint = _hint(name, content_type)
    head = _head_text(data).lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return _json_kind(data, head, hint)
    if head.startswith("<"):
        prolog = _PROLOG.match(head)
        rest = head[prolog.end() if prolog else 0 :]
        if re.match(r"<!DOCTYPE\s+html", head[prolog.end() if prolog else 0 :], re.I) or (
            re.search(r"<!DOCTYPE\s+html", head[:500], re.I)
            and not re.search(r"<(rss|feed|rdf:RDF|opml)\b", head, re.I)
        ):
            return "html"
        root = _ROOT.match(rest)
        local = root.group(2).lower() if root else ""
        if local == "opml":
            return "opml"
        if local in _FEED_ROOTS:
            return "feed"
        if local in _HTML_ROOTS:
            # An Atom or RSS document wrapped in XHTML (seen in the wild) is still a feed.
            return "feed" if _WRAPPED_FEED.search(head) else "html"
        return hint if hint in ("feed", "opml", "html") else "html"
    if hint in ("html", "opml", "feed", "jsonl") and head.lstrip().startswith("<"):
        return hint
    if re.search(r"<(html|body|p|div)\b", head, re.I):
        return "html"
    return "text"
