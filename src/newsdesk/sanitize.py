"""Allowlist HTML sanitizing and plain-text cleaning, shared by every stage that keeps markup.

Never trust a library's own sanitizer (feedparser's and trafilatura's let markup and
`javascript:` links through): everything kept passes through `sanitize_html`.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from nh3 import UrlRelative  # declared in nh3's stubs only

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
_SCHEMES = {"http", "https", "mailto"}
_CLEAN_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
}
LINK_REL = "noopener noreferrer nofollow"

# C0/C1 control characters except tab and newline; also lone surrogates and non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|tr|pre)\s*>|<br\s*/?>", re.I)
_BLOCK_TAGS = {
    "p",
    "br",
    "li",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "pre",
}
_SPACES = re.compile(r"[ \t\u00a0]+")


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """The fragment with only allowlisted tags, attributes and URL schemes left."""
    fragment = clean_text(fragment)
    relative: UrlRelative | None = None  # nh3's default
    if base_url and base_url.startswith(("http://", "https://")):
        relative = ("rewrite_with_base", base_url)
    try:
        return _clean(fragment, relative)
    except ValueError:
        # A base the WHATWG parser refuses (an odd host name): relative links cannot be
        # resolved, so they go, and the rest of the fragment stays.
        return _clean(fragment, "deny")


def _clean(fragment: str, relative: UrlRelative | None) -> str:
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=relative,
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block ends become line breaks, entities decoded."""
    safe = nh3.clean(clean_text(fragment), tags=_BLOCK_TAGS, clean_content_tags=_CLEAN_CONTENT)
    text = _BLOCK_END.sub("\n\n", safe)
    text = htmllib.unescape(_TAG.sub("", text))
    return normalize_space(text)


def clean_text(text: str) -> str:
    """Text without control characters or lone surrogates, NFC-normalized."""
    text = _CONTROL.sub("", text)
    # Checking is several times cheaper than normalizing, and almost all text is already NFC.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normalize_space(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks as one blank line."""
    lines = [_SPACES.sub(" ", line).strip() for line in clean_text(text).splitlines()]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def one_line(text: str | None, limit: int = 500) -> str | None:
    """A title-like field: plain, single-line, bounded; None when empty."""
    if text is None:
        return None
    plain = _SPACES.sub(" ", html_to_text(text).replace("\n", " ")).strip()
    return plain[:limit] or None
