"""extract_article on hand-made pages: hostile markup, empty and binary input, odd dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk import extract_article as top_level_extract
from newsdesk.errors import ExtractionError
from newsdesk.extract import extract_article

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the tram network to the northern districts, "
    "a project that has been debated for more than a decade.",
    "Supporters said the new line would cut commuting times in half for thousands of residents, "
    "while critics warned that the cost estimates were far too optimistic.",
    "Construction is expected to begin next spring and to last about four years, according to "
    "the transport department, which will publish a detailed timetable in the coming weeks.",
]


def article_page(head: str = "", body_extra: str = "", paragraphs: list[str] | None = None) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs or PARAGRAPHS)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Council expands tram network | Daily Example</title>"
        "<meta property='og:site_name' content='Daily Example'>"
        f"{head}</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<article><h1>Council expands tram network</h1>{text}{body_extra}</article>"
        "<footer>© Daily Example</footer></body></html>"
    )


def test_clean_article_fields() -> None:
    head = (
        "<link rel='canonical' href='https://example.org/news/trams'>"
        "<meta property='article:published_time' content='2024-03-05T14:30:00+01:00'>"
        "<meta name='author' content='Jane Roe; John Doe'>"
        "<meta property='og:image' content='https://example.org/tram.jpg'>"
        "<meta name='description' content='The tram network grows.'>"
    )
    got = extract_article(article_page(head), url="https://example.org/news/trams?utm=x")
    assert got.title == "Council expands tram network"
    assert got.text.split("\n\n") == PARAGRAPHS
    assert got.canonical_url == "https://example.org/news/trams"
    assert got.published == datetime(2024, 3, 5, 13, 30, tzinfo=UTC)
    assert got.published is not None and got.published.utcoffset() == timedelta(hours=1)
    assert got.byline == "Jane Roe, John Doe"
    assert got.lang == "en"
    assert got.site_name == "Daily Example"
    assert got.image == "https://example.org/tram.jpg"
    assert got.description == "The tram network grows."
    assert got.html is not None and "<p>" in got.html


def test_top_level_function_delegates() -> None:
    assert top_level_extract(article_page()).title == "Council expands tram network"


def test_bytes_input_is_decoded() -> None:
    html = article_page(paragraphs=[p.replace("city", "Kölner Straßen-city") for p in PARAGRAPHS])
    got = extract_article(html.encode("utf-8"))
    assert "Kölner Straßen-city" in got.text


def test_wrong_declared_charset_still_gives_readable_text() -> None:
    paragraphs = [p + " Grüße, Straße, Ärger." for p in PARAGRAPHS]
    html = article_page(paragraphs=paragraphs).replace("charset='utf-8'", "charset='iso-8859-1'")
    got = extract_article(html.encode("utf-8"))
    assert "Grüße, Straße, Ärger." in got.text
    assert "Ã" not in got.text


def test_hostile_markup_is_gone_from_html() -> None:
    hostile = (
        "<script>alert('x')</script>"
        "<p>Read <a href='javascript:alert(1)'>the full plan</a> and "
        "<a href='https://example.org/plan' onclick='steal()'>the budget</a> "
        "<img src='x.png' onerror='steal()'> before the vote on the tram network expansion.</p>"
        "<iframe src='https://evil.example/'></iframe>"
    )
    got = extract_article(article_page(body_extra=hostile), url="https://example.org/a")
    assert got.html is not None
    lowered = got.html.lower()
    for bad in ("<script", "javascript:", "onclick", "onerror", "<iframe", "alert("):
        assert bad not in lowered
    assert "alert" not in got.text


def test_control_characters_are_removed() -> None:
    dirty = [p.replace("tram", "tr\x00am\x07\x1b") for p in PARAGRAPHS]
    got = extract_article(article_page(paragraphs=dirty))
    assert not any(ch in got.text for ch in "\x00\x07\x1b")
    assert "tram" in got.text


@pytest.mark.parametrize("value", ["1066-10-14T09:00:00Z", "2999-01-01T00:00:00Z", "not a date"])
def test_absurd_dates_become_none(value: str) -> None:
    head = f"<meta property='article:published_time' content='{value}'>"
    got = extract_article(article_page(head))
    assert got.published is None


def test_date_without_time_is_midnight_utc() -> None:
    head = "<meta property='article:published_time' content='2023-11-02'>"
    got = extract_article(article_page(head))
    assert got.published == datetime(2023, 11, 2, tzinfo=UTC)


def test_json_ld_date_and_authors() -> None:
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Council expands tram network", '
        '"datePublished": "2024-06-01T08:15:00-04:00", '
        '"author": [{"@type": "Person", "name": "Ana Lima"}, '
        '{"@type": "Organization", "name": "Daily Example"}]}</script>'
    )
    got = extract_article(article_page(head))
    assert got.published == datetime(2024, 6, 1, 12, 15, tzinfo=UTC)
    assert got.byline == "Ana Lima"


def test_site_name_suffix_is_cut_from_title() -> None:
    html = article_page().replace("<h1>Council expands tram network</h1>", "")
    assert extract_article(html).title == "Council expands tram network"


@pytest.mark.parametrize(
    "html",
    ["", "   \n  ", "<html><head><title>x</title></head><body></body></html>"],
    ids=["empty", "blank", "no-body"],
)
def test_no_article_raises(html: str) -> None:
    with pytest.raises(ExtractionError, match="extract: "):
        extract_article(html)


def test_binary_garbage_raises() -> None:
    garbage = bytes((i * 7919) % 256 for i in range(20_000))
    with pytest.raises(ExtractionError, match="binary"):
        extract_article(garbage)


def test_gzip_bytes_raise() -> None:
    import gzip

    with pytest.raises(ExtractionError):
        extract_article(gzip.compress(article_page().encode()))


def test_navigation_only_page_raises() -> None:
    html = "<html><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav></body></html>"
    with pytest.raises(ExtractionError):
        extract_article(html)
