"""URL safety: only http(s) survives, however the scheme is disguised."""

from __future__ import annotations

import pytest

from newsdesk.sources.links import host_of, safe_url


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript&#x3A;alert(1)",
        "&amp;#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "mailto:a@example.com",
        "http://",
        "",
        "   ",
    ],
)
def test_unsafe_urls_are_none(raw: str) -> None:
    assert safe_url(raw, "https://example.com/feed") is None


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("https://example.com/a?b=1&c=2", None, "https://example.com/a?b=1&c=2"),
        ("/x/y", "https://example.com/feed/", "https://example.com/x/y"),
        ("y", "https://example.com/feed/", "https://example.com/feed/y"),
        ("//cdn.example.com/i.png", "https://example.com/", "https://cdn.example.com/i.png"),
        ("  http://example.com/a b  ", None, "http://example.com/a%20b"),
        ("/x", None, None),
        ("/x", "javascript:alert(1)", None),
    ],
)
def test_safe_urls_resolve(raw: str, base: str | None, expected: str | None) -> None:
    assert safe_url(raw, base) == expected


def test_host_of() -> None:
    assert host_of("https://www.example.com/feed") == "example.com"
    assert host_of("javascript:x") is None
