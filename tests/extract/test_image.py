"""The lead image and its alt text, from each kind of declaration a page can make."""

from __future__ import annotations

import json

from newsdesk.dates import utcnow
from newsdesk.extract import extract_article
from newsdesk.pipeline.prepare import PageJob, Prepared, Preparer

from .test_article import article_page

URL = "https://news.example.org/2024/trams/story.html"


def _image(head: str = "", body: str = "") -> tuple[str | None, str | None]:
    found = extract_article(article_page(head, body), URL)
    return found.image, found.image_alt


def test_og_image_with_its_alt() -> None:
    head = (
        "<meta property='og:image' content='/img/tram.jpg'>"
        "<meta property='og:image:alt' content='A tram crosses the river bridge'>"
    )
    assert _image(head) == (
        "https://news.example.org/img/tram.jpg",
        "A tram crosses the river bridge",
    )


def test_og_image_alt_from_the_img_showing_it() -> None:
    head = "<meta property='og:image' content='https://cdn.example.org/tram.jpg'>"
    body = "<figure><img src='https://cdn.example.org/tram.jpg' alt='The new line'></figure>"
    assert _image(head, body) == ("https://cdn.example.org/tram.jpg", "The new line")


def test_twitter_image_when_no_og_image() -> None:
    head = (
        "<meta name='twitter:image' content='https://cdn.example.org/t.png'>"
        "<meta name='twitter:image:alt' content='Council chamber'>"
    )
    assert _image(head) == ("https://cdn.example.org/t.png", "Council chamber")


def test_json_ld_image_object_with_caption() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council expands tram network",
        "image": [{"@type": "ImageObject", "url": "pics/lead.webp", "caption": "Tram depot"}],
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    assert _image(head) == ("https://news.example.org/2024/trams/pics/lead.webp", "Tram depot")


def test_json_ld_image_as_a_plain_url() -> None:
    ld = {"@type": "NewsArticle", "image": "https://cdn.example.org/plain.jpg"}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    assert _image(head) == ("https://cdn.example.org/plain.jpg", None)


def test_first_figure_with_its_caption_lazy_src_and_no_pixels() -> None:
    body = (
        "<figure><img src='https://t.example.org/pixel.gif' width='1' height='1'></figure>"
        "<figure><img src='data:image/gif;base64,R0lGOD' data-src='/photos/depot.jpg'>"
        "<figcaption>The depot at dawn</figcaption></figure>"
    )
    assert _image(body=body) == ("https://news.example.org/photos/depot.jpg", "The depot at dawn")


def test_no_image_and_unusable_ones() -> None:
    assert _image() == (None, None)
    head = (
        "<meta property='og:image' content='javascript:alert(1)'>"
        "<meta name='twitter:image' content='data:image/png;base64,AAAA'>"
        "<meta property='og:image:secure_url' content='https://example.org/logo.svg'>"
    )
    assert _image(head) == (None, None)


def test_alt_text_is_one_plain_bounded_line() -> None:
    head = (
        "<meta property='og:image' content='https://cdn.example.org/a.jpg'>"
        f"<meta property='og:image:alt' content='Line one &lt;b&gt;bold&lt;/b&gt; {'x' * 400}'>"
    )
    _url, alt = _image(head)
    assert alt is not None and "<" not in alt and "\n" not in alt and len(alt) <= 300


def test_the_pipeline_passes_the_image_through_the_url_gate() -> None:
    # Not an IPv4 address a browser accepts: extraction keeps it, the gate refuses it.
    head = "<meta property='og:image' content='https://300.1.2.3/x.jpg'>"
    prepared = _prepare(head)
    assert prepared.article.image is None and prepared.article.image_alt is None
    head = (
        "<meta property='og:image' content='https://cdn.example.org/ok.jpg'>"
        "<meta property='og:image:alt' content='Fine'>"
    )
    prepared = _prepare(head)
    assert (prepared.article.image, prepared.article.image_alt) == (
        "https://cdn.example.org/ok.jpg",
        "Fine",
    )


def _prepare(head: str) -> Prepared:
    prepared = Preparer()(PageJob(article_page(head).encode(), URL, seen_at=utcnow()))
    assert isinstance(prepared, Prepared)
    return prepared
