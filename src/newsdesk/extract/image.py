"""The lead image of a page and its alt text: og:image, twitter:image, JSON-LD image, first figure.

Candidates are resolved against the page URL and only absolute http(s) ones are kept (a data:
or javascript: URL is skipped). Stages do not import each other: the pipeline passes the chosen
URL through the one URL gate (sources.links.parse_url) before it is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from newsdesk.extract.pagemeta import PageMeta
from newsdesk.sanitize import one_line

_ALT_LIMIT = 300  # characters of alt text kept
_MAX_IMGS = 200  # <img> elements looked at for the alt text of a meta image
# Lazy-loading pages keep the real address in one of these; src holds a blank placeholder.
_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "src")
_NOT_PHOTOS = (".svg", ".ico")  # logos and icons: the proxy would refuse them anyway
_MAX_URL = 2048
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@dataclass(frozen=True, slots=True)
class LeadImage:
    """An absolute http(s) image URL and the page's words for it (None: the page gave none)."""

    url: str
    alt: str | None = None


def lead_image(tree: HtmlElement, page: PageMeta, base: str | None) -> LeadImage | None:
    """The page's lead image, the best-declared first; None when it declares none usable."""
    for keys, alt_keys in (
        (("og:image", "og:image:secure_url", "og:image:url"), ("og:image:alt",)),
        (("twitter:image", "twitter:image:src"), ("twitter:image:alt",)),
    ):
        for key in keys:
            url = _gate(page.meta.get(key), base)
            if url:
                alt = page.first(*alt_keys) or _img_alt(tree, url, base)
                return LeadImage(url, _alt(alt))
    for value in page.ld_values("image"):
        found = _from_ld(value, base)
        if found:
            alt = found.alt or _img_alt(tree, found.url, base)
            return LeadImage(found.url, _alt(alt))
    return _first_figure(tree, base)


def _gate(raw: str | None, base: str | None) -> str | None:
    """raw as an absolute http(s) URL (resolved against base), or None."""
    url = "".join((raw or "").split())  # browsers drop whitespace inside a URL
    if not url or len(url) > _MAX_URL:
        return None
    if base and not _ABSOLUTE.match(url):
        try:
            url = urljoin(base, url)
        except ValueError:  # a malformed IPv6 host, say
            return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    return None if url.lower().split("?", 1)[0].endswith(_NOT_PHOTOS) else url


def _alt(text: str | None) -> str | None:
    return one_line(text, limit=_ALT_LIMIT) or None if text else None


def _from_ld(value: Any, base: str | None) -> LeadImage | None:
    """A JSON-LD image: a URL, a list of them, or an ImageObject (url or contentUrl, caption)."""
    if isinstance(value, list):
        for item in value[:10]:
            found = _from_ld(item, base)
            if found:
                return found
        return None
    if isinstance(value, str):
        url = _gate(value, base)
        return LeadImage(url) if url else None
    if isinstance(value, dict):
        for key in ("url", "contentUrl", "@id"):
            raw = value.get(key)
            url = _gate(raw, base) if isinstance(raw, str) else None
            if url:
                words = value.get("caption") or value.get("description") or value.get("name")
                return LeadImage(url, words if isinstance(words, str) else None)
    return None


def _img_src(img: HtmlElement, base: str | None) -> str | None:
    for attr in _SRC_ATTRS:
        url = _gate(img.get(attr), base)
        if url:
            return url
    srcset = img.get("srcset") or img.get("data-srcset") or ""
    first = srcset.split(",", 1)[0].strip().split(" ", 1)[0]
    return _gate(first, base) if first else None


def _is_pixel(img: HtmlElement) -> bool:
    # A 1x1 tracker or a spacer declares its size; a photo that declares one is bigger.
    sizes = [img.get("width", ""), img.get("height", "")]
    return any(s.strip().isdigit() and int(s.strip()) < 50 for s in sizes)


def _img_alt(tree: HtmlElement, url: str, base: str | None) -> str | None:
    """The alt (or figure caption) of the first <img> on the page showing this very URL."""
    for n, img in enumerate(tree.iter("img")):
        if n >= _MAX_IMGS:
            break
        if _img_src(img, base) == url:
            return _words_for(img)
    return None


def _words_for(img: HtmlElement) -> str | None:
    alt = (img.get("alt") or "").strip()
    if alt:
        return alt
    figure = next((a for a in img.iterancestors("figure")), None)
    if figure is not None:
        caption = next(figure.iter("figcaption"), None)
        if caption is not None:
            return caption.text_content().strip() or None
    return None


def _first_figure(tree: HtmlElement, base: str | None) -> LeadImage | None:
    for figure in tree.iter("figure"):
        for img in figure.iter("img"):
            if _is_pixel(img):
                continue
            url = _img_src(img, base)
            if url:
                return LeadImage(url, _alt(_words_for(img)))
    return None
