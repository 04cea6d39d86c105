"""Logging for newsdesk: one handler on the root logger writing text or JSON lines to stderr.

Code logs through the standard `logging` module (`logging.getLogger("newsdesk.<part>")`) and
puts its context in `extra`: the fields below. The text format appends them as key=value; the
JSON format writes one object per line with time, level, logger, message and those fields, e.g.

    {"time": "2026-12-04T10:15:02.114Z", "level": "warning", "logger": "newsdesk.poll",
     "message": "poll https://x.example/feed failed ...", "source_id": 7,
     "url": "https://x.example/feed", "stage": "poll", "outcome": "error", "duration": 0.412}

(one line in the log). configure() returns a function that undoes it, so a command run inside
a longer-lived process (a test) leaves logging as it found it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from newsdesk.errors import ConfigError

LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")
# The context fields a log call may carry in `extra`, in the order they are written.
FIELDS = (
    "source_id",
    "url",
    "stage",
    "outcome",
    "duration",
    "article_id",
    "new",
    "next_check",
)
LEVEL_ENV, FORMAT_ENV = "NEWSDESK_LOG_LEVEL", "NEWSDESK_LOG_FORMAT"


def _context(record: logging.LogRecord) -> dict[str, object]:
    return {key: record.__dict__[key] for key in FIELDS if key in record.__dict__}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the context fields."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC)
        data: dict[str, object] = {
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(_context(record))
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time level logger: message key=value ...` on one line (a traceback follows when any)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        head, sep, trace = line.partition("\n")
        fields = " ".join(f"{k}={v}" for k, v in _context(record).items())
        return f"{head} {fields}{sep}{trace}" if fields else line


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time of each record (a test may swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure(level: str = "warning", fmt: str = "text") -> Callable[[], None]:
    """Send newsdesk's records at `level` and above (and others' warnings) to stderr in `fmt`;
    the function returned restores what was there before."""
    level, fmt = level.lower(), fmt.lower()
    if level not in LEVELS:
        raise ConfigError(f"log level {level!r} is not one of {', '.join(LEVELS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"log format {fmt!r} is not one of {', '.join(FORMATS)}")
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root, ours = logging.getLogger(), logging.getLogger("newsdesk")
    before = ours.level
    root.addHandler(handler)
    # newsdesk's own loggers follow --log-level; others (uvicorn, httpx) keep the root's level.
    ours.setLevel(level.upper())

    def undo() -> None:
        root.removeHandler(handler)
        ours.setLevel(before)

    return undo


def configure_from_env() -> Callable[[], None]:
    """configure() from NEWSDESK_LOG_LEVEL and NEWSDESK_LOG_FORMAT (worker processes)."""
    return configure(os.environ.get(LEVEL_ENV, "warning"), os.environ.get(FORMAT_ENV, "text"))


def level_name() -> str:
    """newsdesk's effective log level, in the lower case uvicorn takes."""
    return logging.getLevelName(logging.getLogger("newsdesk").getEffectiveLevel()).lower()


def format_name() -> str:
    """The format of the handler configure() installed ("text" when there is none)."""
    for handler in reversed(logging.getLogger().handlers):  # the latest first
        if isinstance(handler, _StderrHandler):
            return "json" if isinstance(handler.formatter, JsonFormatter) else "text"
    return "text"
