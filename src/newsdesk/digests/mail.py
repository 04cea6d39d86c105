"""The SMTP connection digests go out through, from the settings (smtp_*), with the standard
library's smtplib: implicit TLS, STARTTLS or a plain local relay, and a login when given."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from newsdesk.config import Settings
from newsdesk.errors import MailError

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SmtpUnavailable(MailError):
    """No session with the server (refused, unreachable, TLS or login failed): nothing can be
    sent, unlike a refusal of one message."""


def mail_problem(settings: Settings) -> str | None:
    """Why e-mail digests cannot go out with these settings (one line), or None."""
    if not settings.smtp_host:
        return "e-mail digests are off: no SMTP server is set (NEWSDESK_SMTP_HOST)"
    if settings.smtp_security not in DEFAULT_PORTS:
        choices = ", ".join(DEFAULT_PORTS)
        return f"NEWSDESK_SMTP_SECURITY={settings.smtp_security!r} is not one of {choices}"
    if not settings.smtp_from:
        return "e-mail digests need a From address: set NEWSDESK_SMTP_FROM"
    if not settings.public_url.startswith(("http://", "https://")):
        return (
            "e-mail digests link to the site: set NEWSDESK_PUBLIC_URL to its address (https://...)"
        )
    return None


def server_name(settings: Settings) -> str:
    port = settings.smtp_port or DEFAULT_PORTS.get(settings.smtp_security, 25)
    return f"{settings.smtp_host}:{port}"


@contextmanager
def connect(settings: Settings) -> Iterator[smtplib.SMTP]:
    """An SMTP session, logged in when smtp_user is set; MailError when it cannot be had."""
    problem = mail_problem(settings)
    if problem is not None:
        raise SmtpUnavailable(problem)
    security = settings.smtp_security
    host, port = settings.smtp_host, settings.smtp_port or DEFAULT_PORTS[security]
    context = ssl.create_default_context()
    smtp: smtplib.SMTP | None = None
    try:
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=settings.smtp_timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=settings.smtp_timeout)
            if security == "starttls":
                smtp.starttls(context=context)
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
    except (OSError, smtplib.SMTPException) as exc:
        if smtp is not None:
            smtp.close()
        reason = _reason(exc)
        raise SmtpUnavailable(f"cannot use the SMTP server {host}:{port}: {reason}") from None
    try:
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def deliver(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """Hand one message to the server; MailError with the server's answer when it refuses.
    A lost connection (SMTPServerDisconnected) is left to the caller, which may reconnect."""
    try:
        refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"refused: {_refusals(exc.recipients)}") from None
    except smtplib.SMTPServerDisconnected:
        raise
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"refused: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"not sent: {_reason(exc)}") from None
    if refused:  # some recipients of several: a digest has one, so this is not expected
        raise MailError(f"refused: {_refusals(refused)}")


def _refusals(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{code} {_text(text)}" for code, text in recipients.values())


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return " ".join(str(exc).split()) or type(exc).__name__
