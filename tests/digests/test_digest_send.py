"""Digests by e-mail through a real SMTP server on 127.0.0.1: what arrives (both parts, the
links, List-Unsubscribe), what is not sent (nothing new, a refused address) and is not marked
sent, and a server that cannot be reached."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from newsdesk.dates import utcnow
from newsdesk.digests import send
from newsdesk.errors import ConfigError
from newsdesk.store import Store
from support.live import free_port

from .conftest import (
    PUBLIC_URL,
    SENDER,
    Mailbox,
    Recorder,
    SmtpServer,
    add_reader,
    add_story,
    mail_settings,
)

HOSTILE = 'Talks <script>alert("x")</script> & "quotes"'


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def _run(store: Store, settings_db: Path, port: int, **options: object) -> send.SendReport:
    settings = mail_settings(settings_db, port)
    now = utcnow()
    readers = send.recipients(store, now)
    return send.send_digests(store, settings, now, readers, **options)  # type: ignore[arg-type]


def test_due_digests_arrive_with_both_parts_links_and_unsubscribe(
    store: Store, smtp: SmtpServer, tmp_path: Path
) -> None:
    floods = add_story(
        store, "Floods in the valley", ["AP", "BBC", "DW", "NPR", "CNN"], tags=("#Climate",)
    )
    talks = add_story(store, HOSTILE, ["Reuters"], tags=("#Climate",))
    add_story(
        store, "Old heat wave", ["AP"], tags=("#Climate",), published=utcnow() - timedelta(days=3)
    )
    add_story(store, "Unfollowed match", ["AP", "BBC"], tags=("#Sports",))
    ada = add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))

    report = _run(store, tmp_path / "x.db", smtp.port)

    assert [(o.name, o.status, o.stories) for o in report.outcomes] == [("ada", send.SENT, 2)]
    [message] = smtp.box.to("ada@example.org")
    assert message["From"] == SENDER and message["To"] == "ada@example.org"
    assert message["Subject"].startswith("Your daily digest: Floods in the valley and 1 more")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"])
    assert unsubscribe and unsubscribe.group(1).startswith(f"{PUBLIC_URL}/digest/unsubscribe/")
    link = unsubscribe.group(1)

    text, html = _parts(message)
    for body in (text, html):
        assert f"{PUBLIC_URL}/story/{floods}" in body and f"{PUBLIC_URL}/story/{talks}" in body
        assert link in body and f"{PUBLIC_URL}/account/digest" in body
        assert "Old heat wave" not in body and "Unfollowed match" not in body
        assert body.index("Floods in the valley") < body.index("Talks")  # ranked: 5 sources first
    assert re.search(r"5 sources: AP, BBC, \w+ \+2\s", text)  # publishers as on the cards
    assert HOSTILE in text  # plain text is not HTML: as written
    assert "<script>" not in html and "&lt;script&gt;" in html  # escaped in the HTML part
    assert "<style" not in html and 'style="' in html  # inline styles only

    with store.transaction(readonly=True) as repo:
        sent = repo.digest_settings(ada)
    assert sent.last_sent_at is not None and sent.unsubscribe_token_hash is not None

    # Sent a moment ago: not due again, so a second run sends nothing.
    again = _run(store, tmp_path / "x.db", smtp.port)
    assert again.outcomes == [] and len(smtp.box.received) == 1


def test_nothing_new_is_not_sent_and_a_refused_address_is_reported_not_marked(
    store: Store, smtp: SmtpServer, tmp_path: Path
) -> None:
    add_story(store, "Floods in the valley", ["AP", "BBC"], tags=("#Climate",))
    quiet = add_reader(store, "quiet", email="quiet@example.org", follows=("#Knitting",))
    refused = add_reader(store, "rita", email="refused@example.org", follows=("#Climate",))
    bob = add_reader(
        store, "bob", frequency="weekly", email="bob@example.org", follows=("#Climate",)
    )
    add_reader(store, "nomail", email=None, follows=("#Climate",))
    add_reader(store, "off", frequency="off", email="off@example.org", follows=("#Climate",))
    seen: list[str] = []

    report = _run(store, tmp_path / "x.db", smtp.port, on_each=lambda o: seen.append(o.name))

    outcomes = {o.name: o for o in report.outcomes}
    assert seen == ["quiet", "rita", "bob"]  # by user id; no address or off: not considered
    assert outcomes["quiet"].status == send.EMPTY
    assert outcomes["rita"].status == send.FAILED and "550" in outcomes["rita"].reason
    assert outcomes["bob"].status == send.SENT  # after the refusal: the run went on
    assert [rcpt for rcpt, _ in smtp.box.received] == [["bob@example.org"]]
    assert _parts(smtp.box.to("bob@example.org")[0])[0].startswith("Hello bob,")
    with store.transaction(readonly=True) as repo:
        assert repo.digest_settings(quiet).last_sent_at is None
        assert repo.digest_settings(refused).last_sent_at is None
        assert repo.digest_settings(refused).unsubscribe_token_hash is None
        assert repo.digest_settings(bob).last_sent_at is not None
    # Still due: the next run tries them again.
    assert [r.name for r in send.recipients(store, utcnow())] == ["quiet", "rita"]


def test_dry_run_sends_and_records_nothing(store: Store, smtp: SmtpServer, tmp_path: Path) -> None:
    add_story(store, "Floods", ["AP"], tags=("#Climate",))
    ada = add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))
    report = _run(store, tmp_path / "x.db", smtp.port, dry_run=True)
    assert [(o.status, o.stories) for o in report.outcomes] == [(send.WOULD_SEND, 1)]
    assert smtp.box.received == []
    with store.transaction(readonly=True) as repo:
        assert repo.digest_settings(ada).last_sent_at is None


def test_an_unreachable_server_fails_every_reader_and_marks_none(
    store: Store, tmp_path: Path
) -> None:
    add_story(store, "Floods", ["AP"], tags=("#Climate",))
    ids = [
        add_reader(store, n, email=f"{n}@example.org", follows=("#Climate",)) for n in ("a1", "b2")
    ]
    report = _run(store, tmp_path / "x.db", free_port())  # nothing listens there
    assert [o.status for o in report.outcomes] == [send.FAILED, send.FAILED]
    assert all("cannot use the SMTP server 127.0.0.1" in o.reason for o in report.outcomes)
    with store.transaction(readonly=True) as repo:
        assert all(repo.digest_settings(i).last_sent_at is None for i in ids)


def test_without_smtp_settings_e_mail_is_off_with_one_clear_line(
    store: Store, tmp_path: Path
) -> None:
    settings = mail_settings(tmp_path / "x.db", 25, smtp_host="")
    with pytest.raises(ConfigError, match=r"^e-mail digests are off: no SMTP server is set"):
        send.send_digests(store, settings, utcnow(), [])
    with pytest.raises(ConfigError, match="NEWSDESK_PUBLIC_URL"):
        send.send_digests(store, mail_settings(tmp_path / "x.db", 25, public_url=""), utcnow(), [])


def test_a_login_is_sent_when_smtp_user_is_set_and_a_wrong_one_stops_the_run(
    store: Store, tmp_path: Path
) -> None:
    box = Mailbox()

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"desk", b"s3cret")
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535

    port = free_port()
    controller = Controller(
        Recorder(box),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,  # 127.0.0.1 only; a real server gets starttls or ssl
    )
    controller.start()
    try:
        add_story(store, "Floods", ["AP"], tags=("#Climate",))
        add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))
        now = utcnow()
        wrong = mail_settings(tmp_path / "x.db", port, smtp_user="desk", smtp_password="nope")
        report = send.send_digests(store, wrong, now, send.recipients(store, now))
        assert report.failed and "cannot use the SMTP server" in report.failed[0].reason
        assert "535" in report.failed[0].reason  # the server's answer, in one line
        right = mail_settings(tmp_path / "x.db", port, smtp_user="desk", smtp_password="s3cret")
        report = send.send_digests(store, right, now, send.recipients(store, now))
        assert [o.status for o in report.outcomes] == [send.SENT]
        assert len(box.to("ada@example.org")) == 1
    finally:
        controller.stop()


def test_a_second_run_waits_for_the_first_and_sends_nothing_twice(
    store: Store, smtp: SmtpServer, tmp_path: Path
) -> None:
    add_story(store, "Floods", ["AP"], tags=("#Climate",))
    add_reader(store, "ada", email="ada@example.org", follows=("#Climate",))
    settings = mail_settings(tmp_path / "x.db", smtp.port)
    reports: list[send.SendReport] = []

    def run() -> None:
        with send.one_run(store):
            now = utcnow()
            reports.append(send.send_digests(store, settings, now, send.recipients(store, now)))

    with send.one_run(store):  # a run in progress elsewhere
        waiting = threading.Thread(target=run)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and smtp.box.received == []  # it waits for the lock
    waiting.join(10)  # then sends
    run()  # a run after it finds nothing due
    assert [len(r.outcomes) for r in reports] == [1, 0]
    assert len(smtp.box.received) == 1
