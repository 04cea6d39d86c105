"""The fetch stage: polite, capped, SSRF-guarded HTTP GETs with httpx."""

from newsdesk.fetch.fetcher import Fetcher
from newsdesk.fetch.guard import AddressPolicy, check_url
from newsdesk.fetch.schedule import next_check, parse_retry_after
from newsdesk.fetch.transport import build_client

__all__ = [
    "AddressPolicy",
    "Fetcher",
    "build_client",
    "check_url",
    "next_check",
    "parse_retry_after",
]
