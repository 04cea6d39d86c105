"""Logs: `--log-format json` writes one JSON object per line carrying the pipeline's context
(source id, URL, stage, outcome, duration); a failing source says why. Real CLI, real server."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from typer.testing import CliRunner, Result

from localserver import reply, rss, running_server
from newsdesk.cli import cli

ENV = {"NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true", "NEWSDESK_PER_HOST_DELAY": "0"}
ENV |= {"NEWSDESK_RETRIES": "0", "NEWSDESK_ENRICH": "false", "NEWSDESK_FETCH_ARTICLES": "false"}


def newsdesk(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=ENV)


def poll_two_sources(db: Path, *log_args: str) -> tuple[Result, str, str]:
    with running_server() as server:
        server.routes["/bad.xml"] = lambda h: reply(h, 302, b"", {"Location": "javascript:x"})
        body = rss(server, "good")
        server.routes["/good.xml"] = lambda h: reply(h, 200, body, {"Content-Type": "text/xml"})
        bad, good = server.url("/bad.xml"), server.url("/good.xml")
        with_sources = f"<opml version='2.0'><body><outline xmlUrl='{bad}'/>"
        with_sources += f"<outline xmlUrl='{good}'/></body></opml>"
        (db.parent / "subs.opml").write_text(with_sources)
        assert newsdesk(db, "import-opml", str(db.parent / "subs.opml")).exit_code == 0
        return newsdesk(db, *log_args, "poll", "--once"), bad, good


def test_json_lines_carry_the_context(tmp_path: Path) -> None:
    result, bad, good = poll_two_sources(
        tmp_path / "news.db", "--log-format", "json", "--log-level", "debug"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines and len(lines) == len([x for x in result.stderr.splitlines() if x.strip()])
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    by_url = {line.get("url"): line for line in lines if line.get("stage") == "poll"}
    failed, fine = by_url[bad], by_url[good]
    assert failed["level"] == "warning" and failed["outcome"] == "error"
    assert "is not http or https" in failed["message"]
    assert isinstance(failed["source_id"], int) and isinstance(failed["duration"], float)
    assert failed["next_check"]
    assert fine["outcome"] == "ok" and fine["new"] == 3 and fine["level"] == "info"
    assert any(line.get("stage") == "round" for line in lines)
    items = [line for line in lines if line.get("stage") == "store"]
    assert len(items) == 3 and all(line["source_id"] == fine["source_id"] for line in items)
    assert all(line["url"].startswith(good.removesuffix("good.xml")) for line in items)
    assert {line["outcome"] for line in items} == {"new"}


def test_text_is_the_default_and_warnings_only(tmp_path: Path) -> None:
    result, bad, _ = poll_two_sources(tmp_path / "news.db")
    assert result.exit_code == 0, result.output
    logged = [line for line in result.stderr.splitlines() if " newsdesk." in line]
    assert len(logged) == 1, logged  # the failing source; the good one logs at info
    assert "WARNING newsdesk.poll" in logged[0] and bad in logged[0]
    assert "stage=poll outcome=error" in logged[0]
    assert logging.getLogger("newsdesk").level == logging.NOTSET  # restored after the command


def test_a_bad_level_is_refused(tmp_path: Path) -> None:
    result = newsdesk(tmp_path / "news.db", "--log-level", "loud", "stats")
    assert result.exit_code == 2 and "log level 'loud'" in result.output
