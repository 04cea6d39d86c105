"""What a digest holds, and whose digest is due.

A digest is the reader's top stories of what they follow (newsdesk.read.for_you, ranked like
the front page) that moved in its window: the last day or week, or since the last e-mail when
that is more recent, so an e-mail never repeats what the one before said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsdesk.read import StoryCard
from newsdesk.read.for_you import followed_stories, followed_summaries
from newsdesk.store import Repo, StorySummary
from newsdesk.store.digests import DigestSettings

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A digest falls due this long before a whole period has passed, so a run started a little
# earlier than the last one (cron, a timer, an hourly run) still sends it, and an hourly run
# never creeps an hour earlier each day.
GRACE = timedelta(minutes=30)
STORIES = 15  # the top stories an e-mail or the private feed lists


@dataclass(frozen=True, slots=True)
class Recipient:
    """One reader whose digest may go out: their settings and their name."""

    settings: DigestSettings
    name: str


def period(frequency: str) -> timedelta:
    """A digest's span; the private feed of a reader with e-mails off spans a day."""
    return PERIODS.get(frequency, PERIODS["daily"])


def feed_since(settings: DigestSettings, now: datetime) -> datetime:
    """The private feed always shows the whole last day or week."""
    return now - period(settings.frequency)


def email_since(settings: DigestSettings, now: datetime) -> datetime:
    """An e-mail holds what moved since the last one, at most a period back."""
    start = now - period(settings.frequency)
    last = settings.last_sent_at
    return last if last is not None and last > start else start


def digest_stories(repo: Repo, user_id: int, since: datetime, now: datetime) -> list[StoryCard]:
    """The reader's top followed stories that moved since then, best first, as cards."""
    return followed_stories(repo, user_id, limit=STORIES, since=since, now=now)


def feed_stories(repo: Repo, user_id: int, since: datetime, now: datetime) -> list[StorySummary]:
    """The same stories as ranked rows, for the Atom writer (it reads their cards itself)."""
    return followed_summaries(repo, user_id, limit=STORIES, since=since, now=now)


def due(repo: Repo, now: datetime) -> list[Recipient]:
    """Readers with an e-mail address whose daily or weekly digest is due now."""
    found: list[DigestSettings] = []
    for frequency, span in PERIODS.items():
        found.extend(repo.digests_due(frequency, now - span + GRACE))
    return _named(repo, [s for s in found if s.email])


def of_reader(repo: Repo, user_id: int) -> list[Recipient]:
    """One reader's digest, due or not, when it is on and has an address (`--user`)."""
    settings = repo.digest_settings(user_id)
    if settings.frequency == "off" or not settings.email:
        return []
    return _named(repo, [settings])


def _named(repo: Repo, found: list[DigestSettings]) -> list[Recipient]:
    names = repo.reader_names([s.user_id for s in found])
    ordered = sorted(found, key=lambda s: s.user_id)
    return [Recipient(s, names[s.user_id]) for s in ordered if s.user_id in names]
