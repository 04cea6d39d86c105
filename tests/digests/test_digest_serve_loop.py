"""The serve loop sends due digests when it polls and an SMTP server is set; not otherwise."""

from __future__ import annotations

import time
from pathlib import Path

from newsdesk.app import build
from newsdesk.store import Store
from newsdesk.web.background import BackgroundPoller

from .conftest import SmtpServer, add_reader, add_story, mail_settings


def test_the_polling_serve_loop_sends_due_digests_once(smtp: SmtpServer, tmp_path: Path) -> None:
    settings = mail_settings(tmp_path / "loop.db", smtp.port)
    with Store.open(settings.db_url) as store:
        add_story(store, "Floods", ["AP"], tags=("#Climate",))
        add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))
    with build(settings) as app:
        assert not BackgroundPoller(app, poll=False).sends_digests  # --no-poll: not this process
        loop = BackgroundPoller(app, every=0.2, poll=True)
        assert loop.sends_digests
        loop.start()
        try:
            deadline = time.monotonic() + 10
            while not smtp.box.received and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # a few more rounds: the digest is not due again, nor looked for
        finally:
            loop.stop()
        assert [rcpt for rcpt, _ in smtp.box.received] == [["ada@example.org"]]
    with build(mail_settings(tmp_path / "loop.db", smtp.port, smtp_host="")) as app:
        assert not BackgroundPoller(app, poll=True).sends_digests  # no SMTP server: e-mail is off
