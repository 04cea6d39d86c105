"""A digest as an e-mail: plain text and HTML alternatives from two Jinja templates (the HTML
one escapes everything and styles inline only, as mail clients drop style sheets), with
List-Unsubscribe and one-click unsubscribing (RFC 8058)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from newsdesk.humanize import count
from newsdesk.read import StoryCard

SUBJECT_TITLE_CHARS = 80


@dataclass(frozen=True, slots=True)
class Digest:
    """What one e-mail says: to whom, how often, the stories, when."""

    name: str
    email: str
    frequency: str  # daily or weekly
    stories: Sequence[StoryCard]
    now: datetime


@dataclass(frozen=True, slots=True)
class Links:
    """The absolute addresses an e-mail links to."""

    base: str  # the site's public address, no trailing slash
    unsubscribe: str
    settings: str

    @classmethod
    def for_token(cls, public_url: str, unsubscribe_token: str) -> Links:
        base = public_url.rstrip("/")
        return cls(base, f"{base}/digest/unsubscribe/{unsubscribe_token}", f"{base}/account/digest")

    def story(self, story_id: int) -> str:
        return f"{self.base}/story/{story_id}"


_env = Environment(
    loader=PackageLoader("newsdesk.digests", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["count"] = count


def subject(digest: Digest) -> str:
    """'Your daily digest: <top title> and 4 more' on one line."""
    top = " ".join(digest.stories[0].title.split()) if digest.stories else ""
    if len(top) > SUBJECT_TITLE_CHARS:
        top = top[: SUBJECT_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    more = len(digest.stories) - 1
    return f"Your {digest.frequency} digest: {top}" + (f" and {more} more" if more else "")


def build(digest: Digest, links: Links, sender: str) -> EmailMessage:
    """The whole message, ready for smtplib's send_message."""
    context = {"digest": digest, "links": links, "date": _day(digest.now)}
    message = EmailMessage()
    message["From"] = sender
    message["To"] = digest.email
    message["Subject"] = subject(digest)
    message["Date"] = format_datetime(digest.now)
    message["Message-ID"] = make_msgid("digest", domain=urlsplit(links.base).hostname)
    message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(_env.get_template("digest_email.txt").render(context))
    message.add_alternative(_env.get_template("digest_email.html").render(context), subtype="html")
    return message


def _day(when: datetime) -> str:
    return f"{when:%A} {when.day} {when:%B %Y}"
