"""How long one polling round takes when one source is slow and one asks to come back later.

A server on 127.0.0.1 serves: a feed of 5 teaser items whose pages hold each request (until
the client hangs up, at most --hold seconds), a feed answering `503 Retry-After: 120`, and
--good healthy feeds. `newsdesk poll --once` runs as a user runs it (a fresh process, a fresh
SQLite store subscribed to them all, the slow and the busy source first, enrichment off) with
the default settings except NEWSDESK_POLL_ROUND_SECONDS when --budget is given. It reports the
round's wall time and how many of the healthy feeds were polled.

--src DIR runs another checkout's code (its src/ folder) against the same scenario: the
baseline is the code before rounds had a budget (`git worktree add /tmp/before 291ea19`, then
--src /tmp/before/src). Usage:

    .venv/bin/python benchmarks/poll_round.py [--good 10] [--hold 70] [--budget 60] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from localserver import Route, peer_closed, reply, rss, running_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", type=int, default=10, help="healthy feeds")
    parser.add_argument("--hold", type=float, default=70.0, help="seconds a slow page holds")
    parser.add_argument("--budget", type=float, default=None, help="poll_round_seconds")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, running_server() as server:
        server.routes["/slow.xml"] = _feed(rss(server, "slow", 5))
        for i in range(5):
            server.routes[f"/slow/{i}"] = _holding(args.hold)
        server.routes["/busy.xml"] = lambda h: reply(h, 503, b"busy", {"Retry-After": "120"})
        urls = [server.url("/slow.xml"), server.url("/busy.xml")]
        for i in range(args.good):
            server.routes[f"/good{i}.xml"] = _feed(rss(server, f"good{i}"))
            urls.append(server.url(f"/good{i}.xml"))
        db = Path(tmp) / "news.db"
        opml = Path(tmp) / "subs.opml"
        outlines = "".join(f"<outline type='rss' xmlUrl='{u}'/>" for u in urls)
        opml.write_text(f"<opml version='2.0'><body>{outlines}</body></opml>", encoding="utf-8")
        env = os.environ | {
            "PYTHONPATH": str(args.src),
            "NEWSDESK_DB": str(db),
            "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",  # the server is on loopback
            "NEWSDESK_ENRICH": "false",
            "NEWSDESK_WORKERS": "1",
            "NEWSDESK_PER_HOST_DELAY": "0",  # every source is on one host here, unlike life
        }
        if args.budget is not None:
            env["NEWSDESK_POLL_ROUND_SECONDS"] = str(args.budget)
        command = [sys.executable, "-c", "from newsdesk.cli import main; main()"]
        _run([*command, "import-opml", str(opml)], env)
        logs = ["--log-level", "info", "--log-format", "json"] if _has_logs(args.src) else []
        started = time.monotonic()
        stderr = _run([*command, *logs, "poll", "--once"], env)
        took = time.monotonic() - started
        round_s = _round_seconds(stderr)
        with sqlite3.connect(db) as conn:
            polled = conn.execute(
                "SELECT count(*) FROM sources WHERE url LIKE '%/good%' AND last_polled IS NOT NULL"
            ).fetchone()[0]
    budget = "default" if args.budget is None else f"{args.budget:g} s"
    inside = "" if round_s is None else f" ({round_s:.1f} s in the round itself)"
    print(f"code {args.src}, round budget {budget}: poll --once took {took:.1f} s{inside}, "
          f"{polled} of {args.good} healthy feeds polled")  # fmt: skip


def _has_logs(src: Path) -> bool:
    return (src / "newsdesk" / "logs.py").exists()


def _round_seconds(stderr: str) -> float | None:
    for line in stderr.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("stage") == "round":
                return float(record["duration"])
    return None


def _feed(body: bytes) -> Route:
    return lambda h: reply(h, 200, body, {"Content-Type": "application/rss+xml"})


def _holding(hold: float) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        if not peer_closed(h, hold):
            reply(h, 200, b"<html><body><p>late</p></body></html>", {"Content-Type": "text/html"})

    return route


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[3:])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stderr


if __name__ == "__main__":
    main()
