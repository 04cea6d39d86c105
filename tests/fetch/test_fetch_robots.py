"""robots.txt: fetched once per origin, obeyed for pages, lenient when missing or broken."""

from __future__ import annotations

import pytest

from localserver import Handler, LocalServer, reply
from newsdesk.config import Settings
from newsdesk.errors import RobotsDisallowedError
from newsdesk.fetch import Fetcher
from support.fetch import assert_one_line

RULES = b"User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n"


def _ok(h: Handler) -> None:
    reply(h, 200, b"page", {"Content-Type": "text/html"})


def test_disallowed_page_is_refused_and_robots_is_cached(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, RULES, {"Content-Type": "text/plain"})
    server.routes["/public"] = _ok
    server.routes["/private/x"] = _ok
    assert fetcher.fetch(server.url("/public")).content == b"page"
    with pytest.raises(RobotsDisallowedError) as err:
        fetcher.fetch(server.url("/private/x"))
    assert_one_line(err.value, server.url("/private/x"))
    assert fetcher.fetch(server.url("/public")).content == b"page"
    assert server.paths() == ["/robots.txt", "/public", "/public"]  # robots once, private never


def test_check_robots_false_skips_robots(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, b"User-agent: *\nDisallow: /\n")
    server.routes["/feed.xml"] = _ok
    assert fetcher.fetch(server.url("/feed.xml"), check_robots=False).content == b"page"
    assert server.paths() == ["/feed.xml"]


def test_respect_robots_setting_off(server: LocalServer, settings: Settings) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, b"User-agent: *\nDisallow: /\n")
    server.routes["/p"] = _ok
    with Fetcher(settings.with_(respect_robots=False)) as fetcher:
        assert fetcher.fetch(server.url("/p")).content == b"page"
    assert server.paths() == ["/p"]


def test_missing_robots_allows_all(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/p"] = _ok  # /robots.txt answers 404
    assert fetcher.fetch(server.url("/p")).content == b"page"
    assert fetcher.fetch(server.url("/p")).content == b"page"
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    assert fetcher.robots.notes == {}


def test_broken_robots_allows_all_but_notes_it(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 503, b"down")
    server.routes["/p"] = _ok
    assert fetcher.fetch(server.url("/p")).content == b"page"
    assert server.paths() == ["/robots.txt", "/p"]  # robots.txt is not retried
    (note,) = fetcher.robots.notes.values()
    assert "503" in note


def test_redirected_page_is_checked_against_the_target_rules(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, RULES)
    server.routes["/go"] = lambda h: reply(h, 301, b"", {"Location": "/private/y"})
    with pytest.raises(RobotsDisallowedError):
        fetcher.fetch(server.url("/go"))
    assert "/private/y" not in server.paths()
