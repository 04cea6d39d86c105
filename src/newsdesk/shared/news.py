"""News arrived: every web process's kept pages turn stale (served once more while they render
again). The pipeline and the workers call news_arrived after they commit new articles; the
shared page cache reads the counter with every page it serves."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.shared.link import SharedRedis, Unavailable

GENERATION = "pages:generation"  # +1 when news is stored: kept pages turn stale
EPOCH = "pages:epoch"  # +1 on a write through the site: kept pages are dropped


def news_arrived(settings: Settings) -> None:
    """Make every kept page in the shared cache stale. A no-op without redis_url; Redis down
    costs a warning (pages then show the news within their ttl)."""
    if not settings.redis_url:
        return
    link = SharedRedis(settings, "news signal to the page cache")
    try:
        link.call(lambda r: r.incr(link.key(GENERATION)))
    except Unavailable:
        pass  # said once by the link; kept pages still expire on their own
    finally:
        link.close()
