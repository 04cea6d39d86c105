"""JSON text from outside, read so that only a JSON error or a depth error can come out."""

from __future__ import annotations

import json

MAX_INT_DIGITS = 64


def _int(digits: str) -> int | str:
    # Python refuses to turn more than 4300 digits into an int (a bare ValueError from deep in
    # the json module). No field needs a number that long: it stays text, so an id keeps its
    # value and a count is simply not a number.
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def loads(text: str) -> object:
    """The JSON value of text: json.JSONDecodeError when it is not JSON, RecursionError when it
    nests deeper than Python's stack allows; numbers of any length are fine."""
    return json.loads(text, parse_int=_int)
