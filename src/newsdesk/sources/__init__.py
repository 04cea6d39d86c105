"""Bytes from outside -> Items, ParsedFeeds and FeedRefs. No fetching: callers hand in bytes."""

from __future__ import annotations

from newsdesk.sources.discover import discover_feeds
from newsdesk.sources.feed import parse_feed
from newsdesk.sources.files import scan_paths
from newsdesk.sources.jsonl import read_jsonl
from newsdesk.sources.opml import export_opml, parse_opml
from newsdesk.sources.sniff import sniff

__all__ = [
    "discover_feeds",
    "export_opml",
    "parse_feed",
    "parse_opml",
    "read_jsonl",
    "scan_paths",
    "sniff",
]
