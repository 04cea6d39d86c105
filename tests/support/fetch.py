"""Checks shared by the fetch tests."""

from __future__ import annotations


def assert_one_line(exc: BaseException, url: str) -> None:
    """The error reads as one line that starts by naming the stage and the URL."""
    text = str(exc)
    assert "\n" not in text, text
    assert text.startswith(f"fetch: {url}"), text
