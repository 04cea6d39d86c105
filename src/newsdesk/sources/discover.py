"""Feed autodiscovery: the <link rel="alternate"> feeds an HTML page announces."""

from __future__ import annotations

from html.parser import HTMLParser

from newsdesk.models import FeedRef
from newsdesk.sources.fields import plain_title
from newsdesk.sources.links import safe_url

MAX_HTML_CHARS = 5_000_000
MAX_FEEDS = 100
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/x.atom+xml",
    "application/x-atom+xml",
    "application/x-rss+xml",
    "text/xml",
    "application/xml",
}


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "link" and len(self.links) < MAX_FEEDS * 10:
            self.links.append(values)

    handle_startendtag = handle_starttag


def discover_feeds(html: str | bytes, base_url: str) -> list[FeedRef]:
    """Feeds linked from the page as rel=alternate RSS/Atom/JSON Feed, hrefs made absolute."""
    if isinstance(html, bytes):
        html = html[: MAX_HTML_CHARS * 2].decode("utf-8", errors="replace")
    collector = _LinkCollector()
    collector.feed(html[:MAX_HTML_CHARS])
    collector.close()
    page = safe_url(base_url)
    base = safe_url(collector.base, page) if collector.base else page
    found: list[FeedRef] = []
    seen: set[str] = set()
    for link in collector.links:
        rels = link.get("rel", "").lower().split()
        kind = link.get("type", "").lower().split(";")[0].strip()
        if "alternate" not in rels or kind not in FEED_TYPES:
            continue
        url = safe_url(link.get("href"), base)
        if url and url not in seen:
            seen.add(url)
            found.append(FeedRef(url, plain_title(link.get("title")), page))
    return found[:MAX_FEEDS]
