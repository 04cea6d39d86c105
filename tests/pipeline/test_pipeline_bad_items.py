"""A polled feed whose items carry unparsable URLs: the source does not fail, every item is
stored, and each dropped field is one warning line naming the source and the item."""

from __future__ import annotations

from datetime import UTC, datetime

from localserver import reply, running_server
from newsdesk.app import App
from newsdesk.config import Settings
from newsdesk.fetch import Fetcher
from newsdesk.pipeline import Poller

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Odd Links</title>
<item><title>Good</title><link>https://news.example/1</link><description>First.</description></item>
<item><title>Bad port</title><link>http://news.example:99999/2</link><description>2</description>
<enclosure url="http://[::1/i.jpg" type="image/jpeg" length="1"/></item>
<item><title>Also good</title><link>https://news.example/3</link><description>Third.</description>
</item></channel></rss>"""


def test_a_feed_with_bad_urls_is_polled_and_says_what_it_dropped(
    app: App, settings: Settings
) -> None:
    quick = settings.with_(fetch_articles=False)
    with running_server() as server, Fetcher(quick) as fetcher:
        server.routes["/feed.xml"] = lambda h: reply(
            h, 200, FEED, {"Content-Type": "application/rss+xml"}
        )
        poller = Poller(quick, app.store, fetcher, app.ingestor)
        with app.store.transaction() as repo:
            source = repo.upsert_source(server.url("/feed.xml"))
        result = poller.poll(source, NOW)
    assert result.error is None
    assert result.report.counts["new"] == 3
    assert result.report.warnings == [
        f"{source.url}: feed 'Odd Links': item 2 'Bad port': dropped link "
        "'http://news.example:99999/2' (not a valid port); enclosure 'http://[::1/i.jpg' "
        "(not a valid IPv6 address)"
    ]
    with app.store.transaction() as repo:
        titles = sorted(a.title for a, _ in repo.iter_articles())
    assert titles == ["Also good", "Bad port", "Good"]
