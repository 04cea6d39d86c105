"""The e2e fixtures: a real store, a user, the app under uvicorn on 127.0.0.1, one Chromium.

Chromium is Debian's (/usr/bin/chromium, `make system-deps`); no browser is ever downloaded.
Without it (or when Playwright cannot start it) the browser tests skip, unless CI=true: then
they fail, so a CI machine cannot pass by skipping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.accounts import hash_password
from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.pipeline import collect
from newsdesk.web.app import create_app
from support.browser import XSS, XSS_LINK, Site
from support.live import serving
from support.pages import NOW, SEED, ecb_stories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
USER = "e2e-reader"
PASSWORD = "correct horse battery"
ADMIN = "e2e-admin"  # for the admin pages (the phone layout test visits them)


def _hostile(path: Path) -> Path:
    record = {
        "url": "https://evil.example/story?q=%3Cscript%3E",
        "title": f"Hostile {XSS} headline",
        "text": (
            f"A paragraph with {XSS} inside it and a [link]({XSS_LINK}) here.\n\n"
            f'<a href="{XSS_LINK}">click</a> and {XSS} too, then {XSS_LINK} bare.'
        ),
        "published": "2025-06-02T10:00:00+00:00",
        "source": f"Evil {XSS} Source",
        "lang": "en",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def _build_store(folder: Path) -> tuple[Settings, int]:
    settings = Settings(db=str(folder / "e2e.db"), workers=1)
    hostile_id = 0
    with build(settings) as app:
        for path in (SEED, ecb_stories(folder / "ecb.jsonl"), _hostile(folder / "hostile.jsonl")):
            batch = collect([path], NOW)
            report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
            assert not report.failures, report.failures
            hostile_id = report.new_ids[0]
        # The user as `newsdesk user create` makes one: the same store and hashing code.
        with app.store.transaction() as repo:
            repo.create_user(USER, hash_password(PASSWORD), "member", utcnow())
            repo.create_user(ADMIN, hash_password(PASSWORD), "admin", utcnow())
    return settings, hostile_id


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings, hostile_id = _build_store(tmp_path_factory.mktemp("e2e"))
    with serving(create_app(settings), "e2e") as base_url:
        yield Site(base_url, hostile_id, USER, PASSWORD, ADMIN)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (run `make system-deps`)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        _unavailable(f"the playwright package is not installed ({exc})")
    manager = sync_playwright().start()
    try:
        try:
            chromium = manager.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000
            )
        except Error as exc:
            _unavailable(f"Playwright cannot launch {CHROMIUM}: {exc.message.splitlines()[0]}")
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
