"""Adding sources by hand: subscribe to feeds, or take one URL that is a feed or a page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.dates import utcnow
from newsdesk.errors import RobotsDisallowedError, SourceError
from newsdesk.fetch import Fetcher, check_url
from newsdesk.models import FeedRef
from newsdesk.pipeline.ingest import Ingestor, IngestReport
from newsdesk.pipeline.poll import Poller
from newsdesk.pipeline.prepare import PageJob
from newsdesk.sources import discover_feeds, sniff
from newsdesk.store import Store


@dataclass(frozen=True, slots=True)
class Added:
    """What adding one URL did."""

    report: IngestReport
    subscribed: str | None = None  # the feed subscribed to, when there was one
    feeds_on_page: tuple[str, ...] = field(default=())  # feeds a page links to


def subscribe(store: Store, feeds: Iterable[FeedRef]) -> int:
    """Subscribe to feeds (known ones keep their settings); returns how many were new."""
    added = 0
    with store.transaction() as repo:
        known = {s.url for s in repo.list_sources()}
        for ref in feeds:
            repo.upsert_source(
                ref.xml_url,
                kind="feed",
                title=ref.title,
                site_url=ref.html_url,
                category=ref.category,
            )
            added += ref.xml_url not in known
            known.add(ref.xml_url)
    return added


def subscribe_and_poll(store: Store, poller: Poller, url: str) -> IngestReport:
    """Subscribe to one feed and poll it once; SourceError when that first poll fails."""
    with store.transaction() as repo:
        source = repo.upsert_source(url, kind="feed")
    result = poller.poll(source, utcnow())
    if result.error:
        raise SourceError(f"subscribed to {url}, but the first poll failed: {result.error}")
    return result.report


def add_url(target: str, *, fetcher: Fetcher, ingestor: Ingestor, poller: Poller) -> Added:
    """A feed URL is subscribed to and polled; a page is ingested (or, when it is no article,
    its first feed is subscribed to). User URLs pass the SSRF guard first."""
    store = ingestor.store
    url = check_url(target, fetcher.settings)
    try:
        fetched = fetcher.fetch(url)
    except RobotsDisallowedError:
        # robots.txt governs pages; a feed is meant to be read by programs like this one.
        fetched = fetcher.fetch(url, check_robots=False)
        if sniff(fetched.content, name=url, content_type=fetched.content_type) != "feed":
            raise
    kind = sniff(fetched.content, name=url, content_type=fetched.content_type)
    if kind == "feed":
        return Added(subscribe_and_poll(store, poller, url), subscribed=url)
    if kind != "html":
        raise SourceError(f"add: {url}: neither a feed nor an HTML page ({kind})")
    feeds = tuple(f.xml_url for f in discover_feeds(fetched.content, fetched.final_url))
    job = PageJob(content=fetched.content, url=fetched.final_url, seen_at=utcnow())
    report = ingestor.run([job], size=1)
    if report.failures and feeds:
        return Added(subscribe_and_poll(store, poller, feeds[0]), subscribed=feeds[0])
    if report.failures:
        raise SourceError(f"add: {url}: {report.failures[0].error}")
    return Added(report, feeds_on_page=feeds)
