"""Every command starts fast: `--help` and the commands that need no model leave the models, the
extractor and the web stack unloaded (which modules load, not how long it takes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MODELS_AND_WEB = ("spacy", "onnxruntime", "fastapi", "starlette", "uvicorn", "trafilatura")

# Runs a command in a fresh interpreter, then prints the heavy modules that got loaded.
PROBE = """
import json, sys
from newsdesk.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    heavy = {heavy!r}
    print("LOADED " + json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def loaded(*args: str, heavy: tuple[str, ...]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("LOADED "))
    result: list[str] = json.loads(line.removeprefix("LOADED "))
    return result


def test_help_loads_no_model_no_web_stack_no_store() -> None:
    assert loaded("--help", heavy=(*MODELS_AND_WEB, "sqlalchemy", "httpx", "feedparser")) == []


def test_commands_without_models_load_none(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    for command in (["init"], ["stats", "--json"], ["search", "anything"], ["stories"]):
        assert loaded("--db", db, *command, heavy=MODELS_AND_WEB) == [], command
