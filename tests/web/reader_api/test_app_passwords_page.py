"""The account page for app passwords: login required, CSRF on its forms, a password shown once
(only its digests are kept), the list, and delete."""

from __future__ import annotations

import hashlib
import sqlite3

import httpx

from support.reader_apps import ReaderSite, new_app_password, register


def test_logged_out_readers_are_sent_to_log_in(reader_site: ReaderSite) -> None:
    with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as client:
        answer = client.get("/account/apps")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login?next=/account/apps"


def test_shown_once_kept_as_digests_listed_and_deleted(reader_site: ReaderSite) -> None:
    with register(reader_site, "ap-reader") as web:
        # A form without its CSRF token is refused.
        assert web.post("/account/apps", data={"name": "Reeder"}).status_code == 403
        password = new_app_password(web, "Reeder <b>on my phone</b>")
        page = web.get("/account/apps")
        assert page.headers["cache-control"] == "private, no-store"
        assert password not in page.text  # shown once, never again
        assert "Reeder &lt;b&gt;on my phone&lt;/b&gt;" in page.text
        assert "never used" in page.text
        db = reader_site.settings.db
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT secret_hash, fever_hash FROM app_passwords").fetchall()
        fever_key = hashlib.md5(f"ap-reader:{password}".encode(), usedforsecurity=False).hexdigest()
        digests = (
            hashlib.sha256(password.encode()).hexdigest(),
            hashlib.sha256(fever_key.encode()).hexdigest(),
        )
        assert digests in rows
        assert all(password not in value for row in rows for value in row)
