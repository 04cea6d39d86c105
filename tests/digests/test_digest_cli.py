"""`newsdesk digests send`: through a real SMTP server on 127.0.0.1; a refused address is one
line on stderr and exit 1, the others are sent; --dry-run, --user, --json; no SMTP set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.store import Store

from .conftest import PUBLIC_URL, SENDER, SmtpServer, add_reader, add_story


@pytest.fixture
def db(tmp_path: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    for name, value in {
        "PUBLIC_URL": PUBLIC_URL,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
        "SMTP_FROM": SENDER,
    }.items():
        monkeypatch.setenv(f"NEWSDESK_{name}", value)
    with Store.open(f"sqlite:///{path}") as store:
        add_story(store, "Floods in the valley", ["AP", "BBC"], tags=("#Climate",))
        add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))
        add_reader(store, "rita", email="refused@example.org", follows=("#Climate",))
        add_reader(store, "quiet", email="quiet@example.org", follows=("#Knitting",))
    return path


def test_send_reports_a_refused_address_in_one_line_and_sends_the_rest(
    db: Path, smtp: SmtpServer
) -> None:
    runner = CliRunner()
    dry = runner.invoke(cli, ["--db", str(db), "digests", "send", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would send ada <ada@example.org> 1 story" in dry.stdout
    assert "2 would send, 1 with nothing new, 0 failed" in dry.stdout
    assert smtp.box.received == []

    result = runner.invoke(cli, ["--db", str(db), "digests", "send"])
    assert result.exit_code == 1
    assert result.stdout.strip() == "1 sent, 1 with nothing new, 1 failed"
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: not sent to rita <refused@example.org>: refused: 550")
    assert [rcpt for rcpt, _ in smtp.box.received] == [["ada@example.org"]]

    # ada is not due any more, and has nothing new; --user sends hers once there is, as JSON
    ada = ["--db", str(db), "digests", "send", "--user", "ada", "--json"]
    assert json.loads(runner.invoke(cli, ada).stdout)[0]["status"] == "nothing new"
    with Store.open(f"sqlite:///{db}") as store:
        add_story(store, "Drought in the north", ["DW"], tags=("#Climate",))
    again = runner.invoke(cli, ada)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == [
        {"name": "ada", "email": "ada@example.org", "status": "sent", "stories": 1, "reason": ""}
    ]
    assert len(smtp.box.to("ada@example.org")) == 2
    unknown = runner.invoke(cli, ["--db", str(db), "digests", "send", "--user", "nobody"])
    assert unknown.exit_code == 1 and "no user 'nobody'" in unknown.stderr


def test_without_an_smtp_server_it_says_so_in_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSDESK_SMTP_HOST")
    result = CliRunner().invoke(cli, ["--db", str(db), "digests", "send"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: e-mail digests are off: no SMTP server is set (NEWSDESK_SMTP_HOST)"
    )
