"""Static files under fingerprinted names (/static/site.3f2a9c1b0d4e.css), kept for a year.

static_url("site.css") names the file by a hash of its content, so a browser may keep it for
good (`immutable`): a changed file is a new URL. A name with an old hash still gets the current
file, revalidated each time; the plain name works too, for links from outside.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
HASH_CHARS = 12
_FINGERPRINTED = re.compile(rf"^(?P<stem>[^/]+)\.(?P<hash>[0-9a-f]{{{HASH_CHARS}}})(?P<ext>\.\w+)$")


@cache
def fingerprints() -> dict[str, str]:
    """{file name: hash of its content} for the shipped files (read once a process)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_CHARS]
        for path in sorted(STATIC_DIR.iterdir())
        if path.is_file()
    }


def static_url(name: str) -> str:
    """The fingerprinted URL of a shipped file: "site.css" -> "/static/site.<hash>.css"."""
    digest = fingerprints()[name]  # KeyError: a template names a file that is not shipped
    stem, dot, ext = name.rpartition(".")
    return f"{PREFIX}/{stem}.{digest}.{ext}" if dot else f"{PREFIX}/{name}.{digest}"


class FingerprintedStatic(StaticFiles):
    """StaticFiles that serve fingerprinted names with a year of Cache-Control."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR)

    async def get_response(self, path: str, scope: Scope) -> Response:
        found = _FINGERPRINTED.match(path)
        policy = REVALIDATE
        if found is not None:
            name = found["stem"] + found["ext"]
            digest = fingerprints().get(name)
            if digest is not None:
                path = name
                policy = IMMUTABLE if digest == found["hash"] else REVALIDATE
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = policy
        return response
