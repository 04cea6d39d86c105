"""JSON Feed 1.0/1.1: fields, tolerance of gaps, truncation, and hostile values."""

from __future__ import annotations

import json

import pytest
from sources_checks import assert_safe

from newsdesk.errors import FeedError
from newsdesk.sources import parse_feed


def feed(items: list[object], **top: object) -> bytes:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items, **top}
    return json.dumps(doc).encode("utf-8")


def test_json_feed_11_fields() -> None:
    data = feed(
        [
            {
                "id": "1",
                "url": "/posts/1",
                "title": "Hello <b>world</b>",
                "content_html": "<p>Body <a href='/x'>x</a></p>",
                "summary": "Short & sweet",
                "date_published": "2024-02-24T11:42:23+01:00",
                "authors": [{"name": "Jane"}, {"name": "Max"}],
                "language": "en-GB",
                "image": "https://cdn.example.com/i.png",
            }
        ],
        home_page_url="https://example.com/",
    )
    parsed = parse_feed(data, url="https://example.com/feed.json")
    assert parsed.format == "json11"
    assert parsed.site_url == "https://example.com/"
    item = parsed.items[0]
    assert item.url == "https://example.com/posts/1"
    assert item.title == "Hello world"
    assert (
        item.html
        == '<p>Body <a href="https://example.com/x" rel="noopener noreferrer nofollow">x</a></p>'
    )
    assert item.summary == "Short &amp; sweet"
    assert item.byline == "Jane, Max"
    assert item.lang == "en-gb"
    assert item.external_id == "1"
    assert item.image == "https://cdn.example.com/i.png"
    assert item.published is not None and item.published.utcoffset() is not None


def test_json_feed_10_with_bom_and_missing_fields() -> None:
    data = b"\xef\xbb\xbf" + json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "author": {"name": "Solo"},
            "items": [{"id": 7, "content_text": "plain\x00 text"}, "junk", {}],
        }
    ).encode("utf-8")
    parsed = parse_feed(data, url="https://blog.example.org/feed.json")
    assert parsed.format == "json10"
    assert parsed.title is None
    assert len(parsed.items) == 2
    first = parsed.items[0]
    assert first.text == "plain text"
    assert first.external_id == "7"
    assert first.byline == "Solo"
    assert first.source == "blog.example.org"
    assert parsed.warnings


def test_truncated_json_feed_is_a_clear_feed_error() -> None:
    data = feed([{"id": "1", "title": "x"}])[:-10]
    with pytest.raises(FeedError, match="truncated"):
        parse_feed(data)


@pytest.mark.parametrize("data", [b"[1, 2]", b'{"hello": "world"}', b"{not json at all}"])
def test_json_that_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(data)


def test_hostile_json_feed_values_are_sanitized() -> None:
    data = feed(
        [
            {
                "id": "x",
                "url": "javascript:alert(1)",
                "external_url": " java\tscript:alert(2)",
                "title": "<script>alert(1)</script>T",
                "content_html": "<img src=x onerror=alert(1)><script>x()</script><p>ok</p>",
                "summary": "<script>alert(1)</script>",
                "image": "data:image/png;base64,AAAA",
                "date_published": "9999-12-31T00:00:00Z",
                "authors": [{"name": "<script>x</script>A"}],
            }
        ]
    )
    parsed = parse_feed(data)
    assert_safe(parsed)
    item = parsed.items[0]
    assert item.url is None and item.image is None and item.published is None
    assert item.title == "T"


def test_items_over_cap() -> None:
    parsed = parse_feed(feed([{"id": str(i)} for i in range(20)]), max_items=5)
    assert len(parsed.items) == 5
    assert any("first 5" in w for w in parsed.warnings)


def test_items_of_the_wrong_type_are_tolerated() -> None:
    data = json.dumps({"version": "https://jsonfeed.org/version/1", "title": "x", "items": 5})
    parsed = parse_feed(data.encode())
    assert parsed.items == ()
    assert parsed.title == "x"


def test_scripting_news_rss_in_json() -> None:
    doc = {
        "rss": {
            "version": "2.0",
            "channel": {
                "title": "Scripting News",
                "link": "http://scripting.com/",
                "item": [
                    {"title": "A", "link": "http://scripting.com/a", "guid": {"#value": "g1"}}
                ],
            },
        }
    }
    parsed = parse_feed(json.dumps(doc).encode())
    assert parsed.format == "rss-json"
    assert parsed.items[0].url == "http://scripting.com/a"
    assert parsed.items[0].external_id == "g1"
