"""A PostgreSQL URL that names no database is refused before anything connects: the server
would otherwise pick one (the user's own, or "postgres") and the tables would land there."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.errors import ConfigError
from newsdesk.store import Store

NAMELESS = [
    "postgresql://",
    "postgres://",
    "postgresql://postgres@127.0.0.1:5432",
    "postgresql://postgres:secret@127.0.0.1:5432/",
    "postgresql+psycopg://127.0.0.1/",
]


@pytest.mark.parametrize("url", NAMELESS)
def test_a_postgresql_url_without_a_database_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="names no database") as err:
        Store.open(url)
    assert "\n" not in str(err.value) and "secret" not in str(err.value)


def test_the_cli_says_why_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["--db", "postgresql://", "init"])
    assert result.exit_code == 1
    assert "names no database" in result.output and "Traceback" not in result.output
