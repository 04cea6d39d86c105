"""One exception tree for newsdesk. Every message says what failed and why, in one line.

NewsdeskError
 ├── ConfigError            a setting is missing or invalid
 ├── FetchError             an HTTP fetch failed
 │    ├── BlockedAddressError   the URL resolves to a private/loopback/... address
 │    ├── TooLargeError         the body (or its decompressed form) passed the byte cap
 │    ├── FetchTimeoutError     connect/read/total deadline passed
 │    ├── TooManyRedirectsError more redirects than allowed, or a loop
 │    ├── RobotsDisallowedError robots.txt forbids this page
 │    └── HTTPStatusError       the server answered with an error status
 ├── SourceError            a feed, OPML list or local file could not be read
 │    ├── FeedError             not a feed, malformed, or refused (a DTD)
 │    ├── OpmlError             nothing usable in an OPML list
 │    ├── BadUrlError           a URL field that does not parse or is not http(s)
 │    └── BinaryInputError      compressed or binary bytes where a page or feed was expected
 ├── ExtractionError        no article could be extracted from a page
 ├── MailError              the SMTP server could not be reached, or refused a message
 └── StoreError             the store could not be opened or written
      ├── NotFoundError         no such article, source, ...
      └── StoreBusyError        every connection stayed busy past the pool's timeout
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    pass


class FetchError(NewsdeskError):
    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddressError(FetchError):
    pass


class TooLargeError(FetchError):
    pass


class FetchTimeoutError(FetchError):
    pass


class TooManyRedirectsError(FetchError):
    pass


class RobotsDisallowedError(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(
        self,
        message: str,
        url: str | None = None,
        status: int = 0,
        *,
        retry_after: float | None = None,  # seconds the server asked to wait (Retry-After)
    ) -> None:
        super().__init__(message, url)
        self.status = status
        self.retry_after = retry_after


class SourceError(NewsdeskError):
    pass


class FeedError(SourceError):
    pass


class OpmlError(SourceError):
    pass


class BadUrlError(SourceError):
    """One URL from outside is refused; the parsers drop that field and warn with `reason`."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"not a usable URL: {reason}")
        self.reason = reason
        self.url = url


class BinaryInputError(SourceError):
    pass


class ExtractionError(NewsdeskError):
    pass


class MailError(NewsdeskError):
    pass


class StoreError(NewsdeskError):
    pass


class NotFoundError(StoreError):
    pass


class StoreBusyError(StoreError):
    """Try again soon: the web answers 503 with Retry-After."""
