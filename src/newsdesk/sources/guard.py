"""XML hardening before any parser sees a feed: refuse DTDs with entities, defuse bad references.

feedparser expands internal-subset entities (a 60 KB quadratic blowup becomes hundreds of MB) and
raises UnicodeEncodeError on `&#xD800;` (OverflowError on a reference past U+10FFFF), so both are
dealt with on the raw bytes first.
"""

from __future__ import annotations

import codecs
import re

from newsdesk.errors import FeedError, SourceError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "latin-1"),  # ASCII-compatible: scanning as latin-1 keeps every byte
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a BOM, the first "<" tells UTF-16/32 from the ASCII-compatible encodings.
_NO_BOM: tuple[tuple[bytes, str], ...] = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_PI = re.compile(r"<\?.*?\?>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"[\s\ufeff]+")
# Numeric character references that name no character: UTF-16 surrogates (U+D800..U+DFFF),
# NUL, and anything past U+10FFFF (feedparser's loose parser calls chr() on them and raises
# OverflowError, or ValueError, which cost the whole feed). Checked by value below.
_NUMERIC_REF = re.compile(r"&#(?:[xX][0-9a-fA-F]+|[0-9]+)\s*;")
_MAX_REF_DIGITS = 8  # U+10FFFF is 1114111: more digits than this (zeros aside) is no character


def _codec(data: bytes) -> tuple[str, bytes]:
    """The codec to scan the document with, and the BOM to put back when re-encoding."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, (b"" if name == "latin-1" else bom)
    for head, name in _NO_BOM:
        if data.startswith(head):
            return name, b""
    return "latin-1", b""


def _reference_ok(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = text[2:].rstrip("; \t\r\n")
    hexadecimal = digits[:1] in "xX"
    number = (digits[1:] if hexadecimal else digits).lstrip("0") or "0"
    if len(number) > _MAX_REF_DIGITS:
        return "&#xFFFD;"
    value = int(number, 16 if hexadecimal else 10)
    if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return "&#xFFFD;"
    return text


def _doctype_end(text: str, start: int, refuse: type[SourceError], label: str) -> int:
    """Index just past the DOCTYPE at start; refused when it has an internal subset."""
    quote = ""
    for i in range(start + 2, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            raise refuse(f"{label}: refused a document with a DTD (internal subset, entity risk)")
        elif ch == ">":
            return i + 1
    raise refuse(f"{label}: refused a document with a DTD (unterminated DOCTYPE)")


def _strip_doctype(text: str, refuse: type[SourceError], label: str) -> str:
    """The text with a prolog DOCTYPE (no internal subset) removed; it declares nothing we need."""
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        for pattern in (_PI, _COMMENT):
            found = pattern.match(text, pos)
            if found:
                pos = found.end()
                break
        else:
            if _DOCTYPE.match(text, pos):
                return text[:pos] + text[_doctype_end(text, pos, refuse, label) :]
            return text
    return text


def harden_xml(data: bytes, refuse: type[SourceError] = FeedError, label: str = "feed") -> bytes:
    """The XML bytes, safe to hand to a parser: no DOCTYPE, no references to no character.

    Raises `refuse` (FeedError) for an ENTITY declaration or a DOCTYPE with an internal subset.
    """
    name, bom = _codec(data)
    try:
        text = data[len(bom) :].decode(name)
    except UnicodeDecodeError as exc:
        raise refuse(f"{label}: cannot decode the document as {name}: {exc.reason}") from exc
    if _ENTITY_DECL.search(text):
        raise refuse(f"{label}: refused a document with a DTD (ENTITY declaration)")
    fixed = text
    if text[:1].isspace() and text.lstrip(" \t\r\n").startswith("<?xml"):
        fixed = text.lstrip(" \t\r\n")  # an XML declaration must be the very first thing
    if _DOCTYPE.search(fixed):
        fixed = _strip_doctype(fixed, refuse, label)
    if "&#" in fixed:
        fixed = _NUMERIC_REF.sub(_reference_ok, fixed)
    if fixed is text or fixed == text:
        return data
    return bom + fixed.encode(name)
