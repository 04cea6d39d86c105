"""The real command, its output piped: one summary line, no progress frames, nothing wrapped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

NEWSDESK = Path(sys.executable).with_name("newsdesk")
LONG_TITLE = "A headline that goes on" + " and on" * 60 + " until the end"


def newsdesk(db: Path, *args: str, enrich: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWSDESK_ENRICH="true" if enrich else "false", NEWSDESK_WORKERS="1")
    env.pop("COLUMNS", None)  # what a script sees: no terminal, no width
    return subprocess.run(
        [str(NEWSDESK), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def feed(path: Path, items: int) -> Path:
    entries = "".join(
        f"<item><title>{LONG_TITLE if i == 0 else f'Story number {i}'}</title>"
        f"<link>https://piped.example/{i}</link>"
        f"<description>Officials said on Tuesday that the bridge over the river would reopen "
        f"next month after repairs, item {i}.</description></item>"
        for i in range(items)
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Piped</title>{entries}'
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_piped_ingest_prints_one_summary_line_and_no_progress(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    done = newsdesk(db, "ingest", str(feed(tmp_path / "f.xml", 20)), enrich=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    assert re.fullmatch(
        r"20 new articles, 0 duplicates merged \(0 near\), 0 unchanged, 0 failed "
        r"in [\d.]+ s, [\d.,]+ items/s",
        lines[0],
    ), lines[0]
    assert done.stderr == ""  # no bar frames, no carriage returns


@pytest.mark.slow
def test_piped_reprocess_prints_one_summary_line(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert newsdesk(db, "ingest", str(feed(tmp_path / "f.xml", 3)), enrich=False).returncode == 0
    done = newsdesk(db, "reprocess", enrich=True)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1, done.stdout
    assert done.stdout.startswith("3 articles enriched")
    assert done.stderr == ""


def test_piped_output_is_never_wrapped(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert newsdesk(db, "ingest", str(feed(tmp_path / "f.xml", 1)), enrich=False).returncode == 0
    shown = newsdesk(db, "show", "1", enrich=False)
    assert shown.returncode == 0, shown.stderr
    assert LONG_TITLE in shown.stdout.splitlines()  # one line of about 450 characters
