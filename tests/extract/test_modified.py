"""The modified-date rule: a page changed well after publication keeps that date to show
("updated DATE"); its publication date stays what ranks it."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.extract import extract_article

from .test_article import article_page


def _explainer(published: str, modified: str) -> bytes:
    head = (
        f"<meta property='article:published_time' content='{published}'>"
        f"<meta property='article:modified_time' content='{modified}'>"
    )
    return article_page(head).encode()


def test_an_explainer_updated_years_later_keeps_both_dates() -> None:
    got = extract_article(_explainer("2012-03-05T09:00:00+00:00", "2026-03-02T10:00:00+00:00"))
    assert got.published == datetime(2012, 3, 5, 9, tzinfo=UTC)
    assert got.modified == datetime(2026, 3, 2, 10, tzinfo=UTC)


def test_a_same_day_correction_is_not_an_update() -> None:
    got = extract_article(_explainer("2024-06-01T08:00:00+00:00", "2024-06-01T17:30:00+00:00"))
    assert got.published == datetime(2024, 6, 1, 8, tzinfo=UTC) and got.modified is None


def test_json_ld_date_modified() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-01-10T08:00:00Z", "dateModified": "2025-11-20T12:00:00Z"}</script>'
    )
    got = extract_article(article_page(head))
    assert got.published == datetime(2019, 1, 10, 8, tzinfo=UTC)
    assert got.modified == datetime(2025, 11, 20, 12, tzinfo=UTC)


def test_no_modified_without_a_publication_date() -> None:
    head = "<meta property='article:modified_time' content='2025-11-20T12:00:00Z'>"
    got = extract_article(article_page(head))
    assert got.modified is None
