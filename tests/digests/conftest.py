"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it accepts and refuses mail to
any address with "refused" in it; a SQLite store with readers who follow stories."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store, StoryRow
from support.live import free_port

PUBLIC_URL = "https://news.example.org"
SENDER = "newsdesk <digest@news.example.org>"


@dataclass
class Mailbox:
    """What the server accepted: (envelope recipients, parsed message) in order."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]


class Recorder:
    """aiosmtpd's handler hooks: refuse some recipients, keep every message accepted."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if "refused" in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.box.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    box: Mailbox


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    box = Mailbox()
    port = free_port()
    controller = Controller(Recorder(box), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, box)
    finally:
        controller.stop()


def mail_settings(db: Path, port: int, **changes: Any) -> Settings:
    """Settings that send through the test's server, in plain SMTP (no TLS on 127.0.0.1)."""
    values: dict[str, Any] = {
        "db": str(db),
        "workers": 1,
        "enrich": False,
        "public_url": PUBLIC_URL,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_from": SENDER,
        "smtp_timeout": 5.0,
    }
    return Settings(**(values | changes))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'digests.db'}") as opened:
        yield opened


_serial = iter(range(1, 10**6))


def add_story(
    store: Store,
    title: str,
    publishers: list[str],
    *,
    published: datetime | None = None,
    tags: tuple[str, ...] = (),
    summary_text: str = "What happened, in a sentence.",
) -> int:
    """A story of one article per publisher, tagged; its id."""
    when = published or utcnow()
    with store.transaction() as repo:
        ids = []
        for p in publishers:
            n = next(_serial)
            fingerprint = Fingerprint(content_hash=f"h{n}", signature=b"", band_keys=())
            article = NewArticle(
                title=f"{title} ({p})",
                text=summary_text,
                fingerprint=fingerprint,
                source=p,
                published=when,
                lang="en",
                url=f"https://{p.lower().replace(' ', '')}.example/{n}",
            )
            ids.append(repo.insert_article(article))
        repo.upsert_story(StoryRow(id=ids[0], title=title, size=len(ids)))
        for article_id in ids:
            repo.link_article(article_id, ids[0], similarity=1.0, shared_entities=(), reason="t")
            repo.save_tags(article_id, tags, [])
    return ids[0]


def add_reader(
    store: Store,
    name: str,
    *,
    frequency: str = "daily",
    email: str | None = None,
    follows: tuple[str, ...] = (),
) -> int:
    """A reader following these tags ("#Climate"), with digest settings; their id."""
    now = utcnow()
    with store.transaction() as repo:
        user_id = repo.create_user(name, "not-a-hash", "member", now).id
        for tag in follows:
            repo.follow(user_id, "tag", tag.lstrip("#"), tag, now)
        repo.set_digest(user_id, frequency=frequency, email=email)
    return user_id
