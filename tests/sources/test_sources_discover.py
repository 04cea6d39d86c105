"""Feed autodiscovery on real pages from NetNewsWire's tests, and synthetic edge cases."""

from __future__ import annotations

import pytest

from newsdesk.sources import discover_feeds
from support.corpus import CORPUS, needs_corpus

HTML = CORPUS / "feeds" / "netnewswire" / "html"
CASES = {
    "DaringFireball.html": (
        "https://daringfireball.net/",
        ["https://daringfireball.net/feeds/main"],
    ),
    "YouTubeTheVolvoRocks.html": (
        "https://www.youtube.com/user/TheVolvorocks",
        ["https://www.youtube.com/feeds/videos.xml?channel_id=UCct7QF2jcWRY6dhXWMSq9LQ"],
    ),
    "coco.html": (
        "https://www.theatlantic.com/article/",
        ["https://www.theatlantic.com/feed/all/", "https://www.theatlantic.com/feed/best-of/"],
    ),
    "furbo.html": ("http://furbo.org/", ["http://furbo.org/feed/"]),
    "inessential.html": ("http://inessential.com/", ["http://inessential.com/xml/rss.xml"]),
    "sixcolors.html": ("https://sixcolors.com/", ["http://feedpress.me/sixcolors"]),
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(CASES))
def test_discovers_feeds_on_real_pages(name: str) -> None:
    base, expected = CASES[name]
    found = discover_feeds((HTML / name).read_bytes(), base)
    assert [f.xml_url for f in found] == expected
    assert all(f.html_url == base for f in found)


def test_link_types_base_href_and_duplicates() -> None:
    page = """<html><head><base href="https://cdn.example.com/site/">
<link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom">
<link rel="alternate" type="application/feed+json" title="JSON &amp; more" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="rss.xml">
<link rel="alternate" type="text/html" href="/other">
<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body></body></html>"""
    found = discover_feeds(page, "https://example.com/page")
    assert [f.xml_url for f in found] == [
        "https://cdn.example.com/site/rss.xml",
        "https://cdn.example.com/atom",
        "https://cdn.example.com/site/feed.json",
    ]
    assert found[2].title == "JSON & more"


def test_no_links_gives_empty_list() -> None:
    assert discover_feeds(b"<p>nothing here", "https://example.com/") == []
