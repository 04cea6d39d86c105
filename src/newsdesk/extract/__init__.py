"""The extract stage: the clean article (text, title, byline, date, language) from a page."""

from __future__ import annotations

from newsdesk.extract.article import extract_article
from newsdesk.extract.charset import decode_html
from newsdesk.extract.language import detect_language
from newsdesk.extract.textpage import looks_like_text_page, parse_text_page, resolve_relative_time

__all__ = [
    "decode_html",
    "detect_language",
    "extract_article",
    "looks_like_text_page",
    "parse_text_page",
    "resolve_relative_time",
]
