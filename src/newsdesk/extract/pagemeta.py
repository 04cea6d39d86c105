"""What a page says about itself: <meta> tags, JSON-LD, <link rel=canonical>, <html lang>, <h1>.

Read once from the parsed tree, with cheap XPath, before trafilatura prunes its copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

# JSON-LD types that describe the article itself (not the site, a breadcrumb or a video).
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "webpage",
    "creativework",
}
# Meta names carrying the publication time, best first.
PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "cxenseparse:publishtime",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "pubdate",
    "publishdate",
    "pub_date",
    "date",
    "prism.publicationdate",
)
_MAX_JSONLD = 200_000  # characters per script: a bigger one is a data dump, not metadata
_MAX_NODES = 2_000  # JSON-LD objects walked per page


@dataclass(slots=True)
class PageMeta:
    """The page's own claims about itself; every field may be empty."""

    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    ld_article: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD article objects
    lang: str | None = None  # <html lang>, primary subtag
    canonical: str | None = None
    title_tag: str | None = None

    def first(self, *keys: str) -> str | None:
        """The first non-empty meta content among keys."""
        for key in keys:
            value = self.meta.get(key)
            if value:
                return value
        return None

    def ld_values(self, key: str) -> list[Any]:
        """Values of key in the JSON-LD article objects, in page order."""
        return [obj[key] for obj in self.ld_article if obj.get(key)]


def read_page_meta(tree: HtmlElement) -> PageMeta:
    """Collect the page's metadata from its tree."""
    page = PageMeta()
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = node.get("content") or node.get("datetime")
        if key and content and content.strip():
            page.meta.setdefault(key.strip().lower(), content.strip())
    lang = tree.get("lang") or tree.get("xml:lang") or page.meta.get("og:locale")
    if lang:
        page.lang = lang.strip().replace("_", "-").split("-")[0].lower()[:3] or None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href", "").strip():
            page.canonical = link.get("href", "").strip()
            break
    title = next(tree.iter("title"), None)
    if title is not None:
        page.title_tag = title.text_content().strip() or None
    # itemprop="datePublished" on <time> or other elements, and <time datetime>.
    for node in tree.xpath('//*[@itemprop="datePublished"][@datetime or @content]'):
        value = (node.get("datetime") or node.get("content") or "").strip()
        if value:
            page.meta.setdefault("datepublished", value)
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        page.ld_article.extend(_ld_articles(script.text or ""))
    return page


def _ld_articles(text: str) -> list[dict[str, Any]]:
    if not text.strip() or len(text) > _MAX_JSONLD:
        return []
    try:
        data = json.loads(text)
    except RecursionError:  # nested past the stack: no page's metadata looks like that
        return []
    except ValueError:
        # Sites leave raw newlines and trailing commas in JSON-LD; one lenient retry.
        try:
            data = json.loads(text.replace("\n", " ").replace("\r", " "), strict=False)
        except (ValueError, RecursionError):
            return []
    found = []
    for obj in _walk(data):
        kinds = obj.get("@type")
        names = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(n, str) and n.lower() in _ARTICLE_TYPES for n in names):
            found.append(obj)
    # Real articles first: a WebPage wrapper is the weakest claim.
    found.sort(key=lambda o: str(o.get("@type")).lower() in {"webpage", "creativework"})
    return found


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    seen = 0
    while stack and seen < _MAX_NODES:
        item = stack.pop(0)
        seen += 1
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in item:
                    stack.append(item[key])
