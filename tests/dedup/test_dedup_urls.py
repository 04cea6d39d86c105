"""canonicalize_url: one spelling per article URL."""

from __future__ import annotations

import pytest

from newsdesk.dedup import canonicalize_url, registrable_domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters go, the rest is sorted
        ("https://ex.com/a?utm_source=rss&utm_medium=feed&id=7", "https://ex.com/a?id=7"),
        ("https://ex.com/a?fbclid=XYZ&gclid=1&b=2&a=1", "https://ex.com/a?a=1&b=2"),
        ("https://ex.com/a?mc_cid=1&mc_eid=2&ref=rss&ref_src=twsrc", "https://ex.com/a"),
        ("https://ex.com/a?CMP=share_btn_tw&ICID=x&ocid=y&_ga=2.1&spm=a.b", "https://ex.com/a"),
        ("https://ex.com/a?igshid=1&yclid=2&cmpid=3&page=2", "https://ex.com/a?page=2"),
        ("https://ex.com/a?UTM_Campaign=x&q=news+today", "https://ex.com/a?q=news+today"),
        ("https://ex.com/a?&&x=1&", "https://ex.com/a?x=1"),
        # fragments
        ("https://ex.com/story#comments", "https://ex.com/story"),
        # default ports, other ports kept
        ("http://ex.com:80/a", "http://ex.com/a"),
        ("https://ex.com:443/a", "https://ex.com/a"),
        ("https://ex.com:8443/a", "https://ex.com:8443/a"),
        ("http://ex.com:443/a", "http://ex.com:443/a"),
        # case: scheme and host lower, path kept
        ("HTTPS://News.Example.COM/Politics/Story", "https://news.example.com/Politics/Story"),
        ("https://ex.com./a", "https://ex.com/a"),
        # trailing slashes, root kept, dot segments
        ("https://ex.com/a/b/", "https://ex.com/a/b"),
        ("https://ex.com/a/b//", "https://ex.com/a/b"),
        ("https://ex.com", "https://ex.com/"),
        ("https://ex.com/", "https://ex.com/"),
        ("https://ex.com/a/./b/../c", "https://ex.com/a/c"),
        # escapes: unreserved decoded, others upper-cased, unsafe characters quoted
        ("https://ex.com/%7Euser/%41b", "https://ex.com/~user/Ab"),
        ("https://ex.com/a%2fb", "https://ex.com/a%2Fb"),
        ("https://ex.com/new story", "https://ex.com/new%20story"),
        ("https://ex.com/straße", "https://ex.com/stra%C3%9Fe"),
        # IDNA host
        ("https://Bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("http://[::1]:80/x", "http://[::1]/x"),
    ],
)
def test_canonicalize(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_canonicalize_is_idempotent() -> None:
    once = canonicalize_url("HTTP://Ex.com:80/a/b/?utm_source=x&z=1&a=%7e#f")
    assert canonicalize_url(once) == once == "http://ex.com/a/b?a=~&z=1"


@pytest.mark.parametrize(
    ("url", "canonical", "expected"),
    [
        # same registrable domain: the canonical link wins
        ("https://ex.com/a?page=1", "https://ex.com/story-1", "https://ex.com/story-1"),
        ("https://m.ex.com/a", "https://www.ex.com/a/", "https://www.ex.com/a"),
        ("https://www.bbc.co.uk/n/1", "https://news.bbc.co.uk/n/1", "https://news.bbc.co.uk/n/1"),
        # another site: a syndication or spam signal, not identity
        ("https://ex.com/a", "https://other.com/a", "https://ex.com/a"),
        ("https://a.co.uk/x", "https://b.co.uk/x", "https://a.co.uk/x"),
        ("https://me.github.io/x", "https://you.github.io/x", "https://me.github.io/x"),
        # not absolute http(s): ignored
        ("https://ex.com/a", "/story-1", "https://ex.com/a"),
        ("https://ex.com/a", "ftp://ex.com/a", "https://ex.com/a"),
        ("https://ex.com/a", "javascript:alert(1)", "https://ex.com/a"),
        # a deep page claiming the home page as its canonical (a CMS bug): ignored
        ("https://ex.com/news/a", "https://ex.com/", "https://ex.com/news/a"),
        ("https://ex.com/", "https://ex.com/", "https://ex.com/"),
    ],
)
def test_canonical_link(url: str, canonical: str, expected: str) -> None:
    assert canonicalize_url(url, canonical=canonical) == expected


@pytest.mark.parametrize(
    ("junk", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("not a url", "not a url"),
        (" \thttps://ex.com/a\r\n", "https://ex.com/a"),
        ("https://ex.com/a\x00b\x07", "https://ex.com/ab"),
        ("https://ex.com:abc/x", "https://ex.com:abc/x"),
        ("http://[::1", "http://[::1"),
        ("MAILTO:someone@example.com", "mailto:someone@example.com"),
        ("//ex.com/x", "//ex.com/x"),
        ("https://", "https://"),
    ],
)
def test_junk_never_raises(junk: str, expected: str) -> None:
    assert canonicalize_url(junk) == expected
    if not expected.startswith("https://ex.com/"):  # those are real same-site URLs
        assert canonicalize_url("https://ex.com/a", canonical=junk) == "https://ex.com/a"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.com", "example.com"),
        ("example.com", "example.com"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.smh.com.au", "smh.com.au"),
        ("a.b.example.de", "example.de"),
        ("me.github.io", "me.github.io"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain
