"""Politeness across processes (redis_url set): one turn per host for every Fetcher anywhere,
robots.txt read once for all, and Redis going away costs one warning, never a fetch."""

from __future__ import annotations

import itertools
import json
import logging
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import redis

from localserver import LocalServer, loopback_settings, reply
from newsdesk.errors import RobotsDisallowedError
from newsdesk.fetch import Fetcher
from newsdesk.fetch.robots import RETRY_SECONDS
from support.redis_keys import REDIS_URL, fresh_prefix

pytestmark = pytest.mark.redis
TESTS = Path(__file__).resolve().parents[1]
RULES = b"User-agent: *\nDisallow: /private\n"
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def prefix() -> Iterator[str]:
    with fresh_prefix() as fresh:
        yield fresh


def _ok(h: BaseHTTPRequestHandler) -> None:
    reply(h, 200, b"page", {"Content-Type": "text/html"})


def _line(process: subprocess.Popen[bytes], timeout: float) -> bytes:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"no line from the fetching process within {timeout:g} s"
    return process.stdout.readline()


def test_two_processes_take_turns_at_a_host_and_read_robots_once(
    server: LocalServer, prefix: str
) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, RULES)
    for n in range(3):
        server.routes[f"/p{n}"] = _ok
    delay = 0.25
    urls = [server.url(f"/p{n}") for n in range(3)] + [server.url("/private/x")]
    config = json.dumps({"redis_url": REDIS_URL, "prefix": prefix, "delay": delay, "urls": urls})
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "support.shared_fetch", config]
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert _line(process, 60) == b"ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=60)[0] for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
    for output in outputs:
        assert json.loads(output.splitlines()[-1]) == ["ok", "ok", "ok", "RobotsDisallowedError"]
    paths = server.paths()
    assert paths.count("/robots.txt") == 1 and "/private/x" not in paths
    assert sorted(paths) == ["/p0", "/p0", "/p1", "/p1", "/p2", "/p2", "/robots.txt"]
    arrivals = sorted(seen.at for seen in server.requests)
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= delay - 0.005, gaps  # never two requests closer, from either process


def test_a_turn_held_by_a_killed_worker_runs_out(server: LocalServer, prefix: str) -> None:
    server.routes["/p"] = _ok
    client = redis.Redis.from_url(REDIS_URL)
    client.set(f"{prefix}turn:127.0.0.1", b"a token of a process that died", px=400)
    client.close()
    settings = loopback_settings(redis_url=REDIS_URL, redis_prefix=prefix, per_host_delay=0.1)
    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        assert fetcher.fetch(server.url("/p"), check_robots=False).content == b"page"
    assert time.monotonic() - started >= 0.35  # it waited for the lease to run out


def test_an_unreadable_robots_txt_is_tried_again_sooner(server: LocalServer, prefix: str) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 503, b"down")
    server.routes["/p"] = _ok
    settings = loopback_settings(redis_url=REDIS_URL, redis_prefix=prefix)
    with Fetcher(settings) as first, Fetcher(settings) as second:
        assert first.fetch(server.url("/p")).content == b"page"
        assert second.fetch(server.url("/p")).content == b"page"
        (note,) = second.robots.notes.values()  # the first one's answer, note and all
        assert "503" in note
    client = redis.Redis.from_url(REDIS_URL)
    left = client.ttl(f"{prefix}robots:{server.url('/robots.txt')}")
    client.close()
    assert 0 < left <= RETRY_SECONDS
    assert server.paths() == ["/robots.txt", "/p", "/p"]


def test_redis_down_costs_one_warning_and_politeness_is_per_process(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/robots.txt"] = lambda h: reply(h, 200, RULES)
    server.routes["/p"] = _ok
    sleeps: list[float] = []
    settings = loopback_settings(redis_url=NOWHERE, per_host_delay=0.5)
    with (
        caplog.at_level(logging.WARNING, logger="newsdesk.shared"),
        Fetcher(settings, sleep=sleeps.append) as fetcher,
    ):
        assert fetcher.fetch(server.url("/p")).content == b"page"
        assert fetcher.fetch(server.url("/p")).content == b"page"
        with pytest.raises(RobotsDisallowedError):
            fetcher.fetch(server.url("/private/x"))
    assert server.paths() == ["/robots.txt", "/p", "/p"]
    assert len(sleeps) == 2 and all(0 < s <= 0.5 for s in sleeps)  # this process's own turns
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsdesk.shared"]
    assert len(warnings) == 1 and "politeness" in warnings[0], warnings
