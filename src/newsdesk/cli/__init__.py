"""The newsdesk command line: one command per task, `--json` where it prints data."""

from newsdesk.cli import (
    digests,
    distributed,
    failures,
    intake,
    reading,
    serve,
    status,
    stories,
    users,
)
from newsdesk.cli.root import cli, main

__all__ = [
    "cli",
    "digests",
    "distributed",
    "failures",
    "intake",
    "main",
    "reading",
    "serve",
    "status",
    "stories",
    "users",
]
