"""A redirect to a non-http(s) URL (javascript:, data:, feed:) is a clean FetchError."""

from __future__ import annotations

import pytest

from localserver import LocalServer, reply
from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import AddressPolicy, Fetcher
from support.fetch import assert_one_line

ODD_TARGETS = [
    "javascript:alert(1)",
    "data:text/xml,<rss/>",
    "feed:http://example.com/feed.xml",
    "feed://example.com/feed.xml",
    "mailto:desk@example.com",
]


@pytest.mark.parametrize("target", ODD_TARGETS)
def test_redirect_to_another_scheme_is_refused(server: LocalServer, target: str) -> None:
    # The SSRF guard is on (only loopback opened, for the test server).
    guarded = Settings(allow_private_networks=False, per_host_delay=0.0, retries=0)
    policy = AddressPolicy.from_settings(guarded, allowed_networks=["127.0.0.0/8"])
    server.routes["/go"] = lambda h: reply(h, 302, b"", {"Location": target})
    with Fetcher(guarded, policy=policy) as fetcher, pytest.raises(FetchError) as err:
        fetcher.fetch(server.url("/go"), check_robots=False)
    assert type(err.value).__module__.startswith("newsdesk.")
    assert "is not http or https" in str(err.value)
    assert target.split(":")[0] in str(err.value)
    assert_one_line(err.value, server.url("/go"))
    assert server.paths() == ["/go"]  # nothing else was asked for
