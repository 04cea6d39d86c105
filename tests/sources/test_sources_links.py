"""URL safety: only http(s) survives, however the scheme is disguised."""

from __future__ import annotations

import pytest

from newsdesk.errors import BadUrlError
from newsdesk.sanitize import sanitize_html
from newsdesk.sources import parse_feed
from newsdesk.sources.links import host_of, parse_url, safe_url, shown_url, subscription_refusal


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


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("http://example.com:99999/b", "not a valid port"),
        ("http://example.com:+80/", "not a valid port"),
        ("http://[::1/d", "not a valid IPv6 address"),
        ("http://[zz]/", "not a valid IPv6 address"),
        ("http://exa mple.com/", "a character not allowed in a host name"),
        ("http://a%3Cb.example/", "a character not allowed in a host name"),
        ("http://256.1.1.1/", "not a valid IPv4 address"),
        ("http://1.2.3.4.5/", "not a valid IPv4 address"),
        ("javascript:alert(1)", "scheme 'javascript' is not http or https"),
        ("http://:80/", "no host"),
    ],
)
def test_refused_urls_say_why(raw: str, reason: str) -> None:
    with pytest.raises(BadUrlError) as refused:
        parse_url(raw, "https://example.com/feed")
    assert refused.value.reason == reason
    assert safe_url(raw) is None


def test_nothing_given_is_not_a_fault() -> None:
    assert parse_url("") is None
    assert parse_url("/relative/without/base") is None
    assert parse_url("http://0x7f.1/x") == "http://0x7f.1/x"  # a browser's IPv4 form


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("https://news.example/feed", None),
        ("https://user:pass@news.example/feed", "URLs with credentials are refused"),
        ("https://user@news.example/feed", "URLs with credentials are refused"),
        ("00000000", "must be an http or https URL with a host"),
        ("http://news.example:99999/", "must be an http or https URL with a host"),
        ("ftp://news.example/feed", "must be an http or https URL with a host"),
    ],
)
def test_one_rule_for_subscriptions(url: str, refusal: str | None) -> None:
    assert subscription_refusal(url) == refusal


def test_shown_urls_hide_passwords() -> None:
    assert shown_url("https://alice:pw@news.example/feed") == "https://***@news.example/feed"
    assert shown_url("http://x.example/\x01" + "a" * 200, 40).endswith("…")


def test_a_base_only_the_sanitizer_refuses_costs_only_relative_links() -> None:
    # "xn--zz" is no valid punycode: the sanitizer's URL parser refuses it as a base.
    feed = (
        b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        b"<link>http://xn--zz.example/a</link><description>&lt;p&gt;See "
        b'&lt;a href="/rel"&gt;this&lt;/a&gt; and &lt;a href="https://ok.example/x"&gt;that'
        b"&lt;/a&gt;.&lt;/p&gt;</description></item></channel></rss>"
    )
    item = parse_feed(feed).items[0]
    assert item.url == "http://xn--zz.example/a"
    assert item.summary is not None
    assert "/rel" not in item.summary and 'href="https://ok.example/x"' in item.summary
    assert sanitize_html('<a href="/x">x</a>', "http://xn--zz.example/") == (
        '<a rel="noopener noreferrer nofollow">x</a>'
    )
