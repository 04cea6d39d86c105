"""Extract the article from an HTML page: trafilatura for the text, the page's own metadata first.

The page is parsed once (trafilatura's own loader, so its extraction sees the tree it expects);
trafilatura works on a copy, and the metadata readers walk the original.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import trafilatura
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsdesk.errors import ExtractionError
from newsdesk.extract.byline import choose_byline
from newsdesk.extract.charset import decode_html
from newsdesk.extract.headline import choose_title
from newsdesk.extract.image import lead_image
from newsdesk.extract.language import detect_language
from newsdesk.extract.pagemeta import PageMeta, read_page_meta
from newsdesk.extract.published import choose_modified, choose_published
from newsdesk.extract.sitename import choose_site_name
from newsdesk.models import Extracted
from newsdesk.sanitize import normalize_space, one_line, sanitize_html

_MIN_TEXT = 25  # characters: less is a stub, a paywall notice or an error page, not an article
_BINARY_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_EXTRACTOR_FAULTS = (
    AssertionError,
    AttributeError,
    IndexError,
    KeyError,
    OverflowError,
    RecursionError,
    TypeError,
    ValueError,
)
# Documents that parse as a lone element of their own: images and formulas, never articles.
_NOT_PAGES = {"svg": "an SVG image", "math": "a MathML formula"}
_BINARY_SHARE = 0.02  # NUL and replacement characters per character: above this it is not text


def extract_article(html: str | bytes, url: str | None = None) -> Extracted:
    """The clean article of a page; raises ExtractionError when the page has none."""
    text = decode_html(html) if isinstance(html, bytes) else html
    _refuse_binary(text)
    tree = _parse(text)  # lxml skips control characters; what we keep is cleaned later
    page = read_page_meta(tree)
    lead = lead_image(tree, page, url or page.canonical)
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=True,  # finding comments keeps them out of the text; we drop them
            output_format="python",
        )
    except _EXTRACTOR_FAULTS as exc:
        # trafilatura is a large surface of heuristics over untrusted markup (it asserted on
        # SVG documents): a page it trips on is that page's failure, never the run's.
        raise ExtractionError(
            f"extract: the extractor failed on this page ({exc.__class__.__name__})"
        ) from exc
    if not isinstance(document, Document) or not document.text:
        raise ExtractionError("extract: no main text found in the page")
    body = normalize_space(document.text.replace("\n", "\n\n"))
    if len(body) < _MIN_TEXT:
        raise ExtractionError(f"extract: main text too short ({len(body)} characters)")
    title = choose_title(page, document.title, document.sitename, url or document.url)
    if not title:
        # A body without a headline is still an article: its first line stands in.
        title = one_line(body.split("\n\n", 1)[0], limit=200) or "(untitled)"
    body = _without_headline(body, title)
    published = choose_published(page, document.date)
    return Extracted(
        title=title,
        text=body,
        url=url,
        canonical_url=_canonical(page, document, url),
        byline=choose_byline(page, document.author),
        published=published,
        modified=choose_modified(page, published),
        lang=detect_language(body, page.lang),
        site_name=choose_site_name(
            page, document.sitename, url or document.url or page.canonical, title
        ),
        image=lead.url if lead else None,
        image_alt=lead.alt if lead else None,
        description=one_line(
            page.first("og:description", "description", "twitter:description")
            or document.description,
            limit=1000,
        ),
        html=_body_html(document, url),
    )


def _without_headline(body: str, title: str) -> str:
    # trafilatura often keeps the <h1> as the first line; the title field already holds it.
    first, _, rest = body.partition("\n\n")
    if rest and first.casefold() == title.casefold():
        return rest
    return body


def _refuse_binary(text: str) -> None:
    sample = text[:4096]
    if not sample.strip():
        raise ExtractionError("extract: the page is empty")
    bad = len(_BINARY_CHARS.findall(sample))
    if bad > len(sample) * _BINARY_SHARE:
        raise ExtractionError("extract: the page is binary data, not HTML")


def _parse(text: str) -> HtmlElement:
    try:
        tree = load_html(text)
    except (TypeError, ValueError) as err:
        raise ExtractionError(f"extract: the page could not be parsed as HTML ({err})") from err
    if tree is None:
        raise ExtractionError("extract: the page could not be parsed as HTML")
    kind = str(tree.tag).rpartition("}")[2].lower()
    if kind in _NOT_PAGES:
        raise ExtractionError(f"extract: the page is {_NOT_PAGES[kind]}, not HTML")
    # lxml hands back the one element of a fragment (an SVG or MathML document, XHTML behind
    # an XML declaration) still hanging in the <body> it made up: extraction needs the root,
    # and trafilatura fails (an AssertionError) when it removes an element with no parent.
    root = tree.getroottree().getroot()
    if len(root) == 0:
        raise ExtractionError("extract: the page could not be parsed as HTML")
    return root


def _canonical(page: PageMeta, document: Document, url: str | None) -> str | None:
    for candidate in (page.canonical, page.first("og:url"), document.url):
        absolute = _http_url(candidate, base=url)
        if absolute:
            return absolute
    return None


def _http_url(value: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL, resolved against base when relative; None otherwise."""
    if not value:
        return None
    value = value.strip()
    if base and not value.startswith(("http://", "https://")):
        value = urljoin(base, value)
    return value if value.startswith(("http://", "https://")) and len(value) < 2048 else None


def _body_html(document: Document, url: str | None) -> str | None:
    # trafilatura always gives a body element; an empty one ends as None below.
    root = convert_to_html(document.body)
    inner = "".join(tostring(child, encoding="unicode") for child in root[0])
    return sanitize_html(inner, base_url=url) or None
