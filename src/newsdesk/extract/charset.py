"""Bytes of a web page to text: the declared charset when it fits the bytes, else detection.

Order: a byte-order mark (it overrides everything, as in the WHATWG encoding standard), then the
Content-Type header's charset, then `<meta charset>` / `http-equiv`, then detection with
charset_normalizer, then UTF-8 with replacement characters. A declaration is only believed when
the bytes decode under it: pages that declare Latin-1 but are UTF-8 are common.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, or an XML
# declaration; browsers look in the first 1024 bytes, real pages put it later, so look further.
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.I,
)
_PRESCAN = 16384
# Browsers read these labels as windows-1252 (WHATWG), and so do the pages that declare them.
_WHATWG_ALIASES = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "euc-kr": "cp949",
}
# A page declared UTF-8 with a stray Latin-1 byte or two is still UTF-8; past this share of
# undecodable bytes the declaration is wrong.
_MAX_BAD_UTF8 = 0.001
_UTF8_NAMES = {"utf-8", "utf8"}


def decode_html(data: bytes, content_type_charset: str | None = None) -> str:
    """The page as text, decoded with the charset that fits its bytes (never raises)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    utf8 = _strict(data, "utf-8")
    declared = [name for name in (content_type_charset, _meta_charset(data)) if name]
    for label in declared:
        codec = _codec_name(label)
        if codec is None:
            continue
        if codec == "utf-8":
            if utf8 is not None:
                return utf8
            lenient = data.decode("utf-8", errors="replace")
            if lenient.count("\ufffd") <= max(8, int(len(data) * _MAX_BAD_UTF8)):
                return lenient
            continue
        if utf8 is not None and not data.isascii() and _is_ascii_compatible(codec):
            # Valid multi-byte UTF-8 is almost never an accident of a legacy charset.
            return utf8
        text = _strict(data, codec)
        if text is not None:
            return text
    if utf8 is not None:
        return utf8
    best = from_bytes(data[: _PRESCAN * 4]).best()
    if best is not None and best.encoding:
        text = _strict(data, best.encoding)
        if text is not None:
            return text
    return data.decode("utf-8", errors="replace")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_PRESCAN])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii", errors="replace")


def _codec_name(label: str) -> str | None:
    """Python's codec name for a charset label, or None for a label nobody knows."""
    label = label.strip().strip("\"'").lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in _UTF8_NAMES else name


def _is_ascii_compatible(encoding: str) -> bool:
    # Seven-bit encodings (ISO-2022-*, UTF-7) and UTF-16/32 are not; for them, trust the label.
    return not encoding.startswith(
        ("iso2022", "iso-2022", "utf-16", "utf-32", "utf-7", "utf_16", "utf_32")
    )


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
