"""Send the digests that are due: one SMTP session for the run, one message per reader.

A reader's last_sent_at (and the unsubscribe token their e-mail carries) is recorded only once
the server accepted the message, so a refused or failed one is tried again on the next run. A
digest with nothing new is not sent and stays due. One reader's failure is reported and the
others are still sent; only a server that cannot be used at all stops the run (the readers
left are then reported failed, not tried).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.digests import content, mail, message, tokens
from newsdesk.distributed.locks import StoreLock
from newsdesk.errors import ConfigError, MailError, NotFoundError
from newsdesk.store import Store

SENT, EMPTY, FAILED, WOULD_SEND = "sent", "nothing new", "failed", "would send"
LOCK = "digests"  # one run at a time, on every host that opens the store


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one reader's digest."""

    name: str
    email: str
    status: str  # SENT, EMPTY, FAILED or WOULD_SEND
    stories: int = 0
    reason: str = ""  # why it failed


@dataclass(slots=True)
class SendReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def counted(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]


@contextmanager
def one_run(store: Store) -> Iterator[None]:
    """Hold the digests lock: a second run (cron overlapping, another host) waits for this one,
    then finds what it sent no longer due, so no digest goes out twice."""
    with StoreLock(store, LOCK):
        yield


def send_due(
    store: Store,
    settings: Settings,
    *,
    user: str | None = None,
    dry_run: bool = False,
    on_start: Callable[[int], None] = lambda _: None,
    on_each: Callable[[Outcome], None] = lambda _: None,
) -> SendReport:
    """One run, as `newsdesk digests send` and the serve loop make it: under the lock, the
    digests due now (or user's) sent; on_start(how many) first, on_each(outcome) after each."""
    with nullcontext() if dry_run else one_run(store):
        now = utcnow()
        readers = recipients(store, now, user)
        on_start(len(readers))
        return send_digests(store, settings, now, readers, dry_run=dry_run, on_each=on_each)


def recipients(store: Store, now: datetime, user: str | None = None) -> list[content.Recipient]:
    """The digests a run would consider: those due, or one reader's (`--user NAME`)."""
    with store.transaction(readonly=True) as repo:
        if user is None:
            return content.due(repo, now)
        found = repo.user_by_name(user)
        if found is None:
            raise NotFoundError(f"no user {user!r}")
        return content.of_reader(repo, found.id)


def send_digests(
    store: Store,
    settings: Settings,
    now: datetime,
    readers: list[content.Recipient],
    *,
    dry_run: bool = False,
    on_each: Callable[[Outcome], None] = lambda _: None,
) -> SendReport:
    """Send each reader's digest (dry_run: only say what would go); on_each after each one."""
    problem = mail.mail_problem(settings)
    if problem is not None and not dry_run:
        raise ConfigError(problem)
    report = SendReport()
    unavailable = ""
    with _Session(settings) as session:
        for reader in readers:
            if unavailable:  # the server is gone: the rest are reported, not tried
                outcome = Outcome(reader.name, reader.settings.email or "", FAILED, 0, unavailable)
            else:
                try:
                    outcome = _one(store, settings, session, reader, now, dry_run)
                except mail.SmtpUnavailable as exc:
                    unavailable = str(exc)
                    outcome = Outcome(
                        reader.name, reader.settings.email or "", FAILED, 0, unavailable
                    )
            report.outcomes.append(outcome)
            on_each(outcome)
    return report


def _one(
    store: Store,
    settings: Settings,
    session: _Session,
    reader: content.Recipient,
    now: datetime,
    dry_run: bool,
) -> Outcome:
    digest_settings, email = reader.settings, reader.settings.email or ""
    since = content.email_since(digest_settings, now)
    with store.transaction(readonly=True) as repo:
        stories = content.digest_stories(repo, digest_settings.user_id, since, now)
    if not stories:
        return Outcome(reader.name, email, EMPTY)
    if dry_run:
        return Outcome(reader.name, email, WOULD_SEND, len(stories))
    token, token_hash = tokens.new_unsubscribe_token()
    digest = message.Digest(reader.name, email, digest_settings.frequency, stories, now)
    links = message.Links.for_token(settings.public_url, token)
    try:
        session.deliver(message.build(digest, links, settings.smtp_from))
    except mail.SmtpUnavailable:
        raise
    except MailError as exc:
        return Outcome(reader.name, email, FAILED, len(stories), str(exc))
    except ValueError as exc:  # an address or header the e-mail package refuses
        return Outcome(reader.name, email, FAILED, len(stories), f"not sent: {exc}")
    with store.transaction() as repo:
        repo.set_digest(
            digest_settings.user_id, last_sent_at=now, unsubscribe_token_hash=token_hash
        )
    return Outcome(reader.name, email, SENT, len(stories))


class _Session:
    """The run's SMTP session: opened when the first message goes (a run with nothing to send
    never connects), opened again once when the server dropped it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stack = ExitStack()
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def deliver(self, email: EmailMessage) -> None:
        for attempt in self._attempts():
            try:
                mail.deliver(attempt, email)
                return
            except smtplib.SMTPServerDisconnected:
                self._drop()
        server = mail.server_name(self.settings)
        raise mail.SmtpUnavailable(f"the SMTP server {server} closed the connection")

    def _attempts(self) -> Iterator[smtplib.SMTP]:
        for _ in range(2):
            if self._smtp is None:
                self._smtp = self._stack.enter_context(mail.connect(self.settings))
            yield self._smtp

    def _drop(self) -> None:
        self._stack.close()
        self._stack = ExitStack()
        self._smtp = None
