"""What is read from a file or a stream is capped, and the store is never ingested into itself:
`ingest /dev/zero`, `ingest /dev/urandom`, a gzip bomb, an endless stdin and `add ""` (the
working folder, the store in it) each end in one readable error naming what was refused."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from newsdesk.cli import cli

CAP = 1024 * 1024
PAGE = sorted((Path(__file__).resolve().parents[2] / "data" / "sample" / "pages").glob("*.gz"))[0]
SMALL_PAGE = gzip.decompress(PAGE.read_bytes())


def run(db: Path, *args: str, stdin: bytes | None = None) -> Result:
    env = {"NEWSDESK_MAX_FILE_BYTES": str(CAP), "NEWSDESK_ENRICH": "false"}
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin, env=env)


def stored(db: Path) -> int:
    result = run(db, "stats", "--json")
    assert result.exit_code == 0, result.output
    return int(result.output.split('"articles":')[1].split(",")[0])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_read_only_up_to_the_cap(tmp_path: Path, device: str) -> None:
    result = run(tmp_path / "news.db", "ingest", device)
    assert result.exit_code == 1
    assert f"{device}: more than {CAP} bytes" in result.output
    assert "Traceback" not in result.output


def test_a_file_that_unpacks_past_the_cap_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "in" / "page.html.gz"
    bomb.parent.mkdir()
    bomb.write_bytes(gzip.compress(b" " * (CAP * 16)))
    (tmp_path / "in" / "ok.html").write_bytes(SMALL_PAGE)
    result = run(tmp_path / "news.db", "ingest", str(tmp_path / "in"))
    assert "page.html.gz (decompressed): more than" in result.output
    assert stored(tmp_path / "news.db") == 1  # the good file of the folder is kept


def test_stdin_is_capped(tmp_path: Path) -> None:
    result = run(tmp_path / "news.db", "extract", "-", stdin=b"<p>x</p>" * CAP)
    assert result.exit_code == 1
    assert f"stdin: more than {CAP} bytes" in result.output


def test_the_folder_that_holds_the_store_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "news.db"
    (tmp_path / "page.html").write_bytes(SMALL_PAGE)
    assert run(db, "init").exit_code == 0
    for args in (["add", ""], ["add", "."], ["ingest", "."], ["ingest", str(tmp_path.parent)]):
        result = run(db, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert "holds the store" in result.output or "target is empty" in result.output
    itself = run(db, "ingest", str(db))
    assert itself.exit_code == 1 and "the store itself" in itself.output
    assert stored(db) == 0
    assert run(db, "ingest", "page.html").exit_code == 0  # a file beside it is fine
    assert stored(db) == 1
