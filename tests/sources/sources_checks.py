"""Shared assertions for the sources tests."""

from __future__ import annotations

import re
from dataclasses import astuple

from newsdesk.models import ParsedFeed

SCRIPT = re.compile(r"<\s*script", re.I)
TAG = re.compile(r"<[^>]*>")
UNSAFE_IN_TAG = re.compile(
    r"javascript:|vbscript:|data:|\son\w+\s*=|<\s*(script|iframe|object)", re.I
)


def assert_safe(parsed: ParsedFeed) -> None:
    """No script anywhere, no script-capable attribute in markup, only http(s) URLs."""
    assert parsed.site_url is None or parsed.site_url.startswith(("http://", "https://"))
    assert not SCRIPT.search(parsed.title or "")
    for item in parsed.items:
        for value in astuple(item):
            if isinstance(value, str):
                assert not SCRIPT.search(value), value[:200]
        for markup in (item.html, item.summary):
            for tag in TAG.findall(markup or ""):
                assert not UNSAFE_IN_TAG.search(tag), tag[:200]
        for url in (item.url, item.image, item.source_url):
            assert url is None or url.startswith(("http://", "https://")), url
