"""What processes and hosts share through Redis: kept pages, news arrivals, per-host turns and
robots.txt rules. Used only when `redis_url` is set; without it each process keeps its own, as in
`make demo`. Redis down costs one warning, then each process falls back to its own until it
answers again: never a failed page or poll.
"""

from newsdesk.shared.link import SharedRedis, Unavailable
from newsdesk.shared.news import news_arrived

__all__ = ["SharedRedis", "Unavailable", "news_arrived"]
