"""`newsdesk status` on a real SQLite store: local mode; a broker that is down is one line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdesk.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sample" / "aggregator-page.txt"


def test_status_counts_what_was_just_stored(tmp_path: Path) -> None:
    runner, db = CliRunner(), str(tmp_path / "s.db")
    env = {"NEWSDESK_WORKERS": "1", "NEWSDESK_ENRICH": "0"}
    assert runner.invoke(cli, ["--db", db, "ingest", str(SEED)], env=env).exit_code == 0
    shown = runner.invoke(cli, ["--db", db, "status"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "mode: local" in shown.output and "failed items: 0" in shown.output
    data = json.loads(runner.invoke(cli, ["--db", db, "status", "--json"], env=env).output)
    assert data["mode"] == "local" and data["articles"] >= 1
    assert data["stored_last_minutes"]["articles"] == data["articles"]  # all stored just now


def test_a_broker_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    env = {"NEWSDESK_BROKER_URL": "amqp://guest:guest@127.0.0.1:9//"}
    shown = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "status"], env=env)
    assert shown.exit_code == 0, shown.output
    assert [line for line in shown.output.splitlines() if line.startswith("broker: not reachable")]
