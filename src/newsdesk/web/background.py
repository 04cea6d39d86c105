"""Background work while serving: a thread that purges expired sessions and stale failed logins,
and polls sources as they fall due (unless polling is off); while it polls, and an SMTP server
is set, it also sends the digests that are due, hourly (as `newsdesk digests send` does: the
digests lock keeps it from sending one twice if a timer runs that too).

Polling is scheduled by due time: after a round the thread sleeps until the next source's
next_check, never longer than `every` (so a source added meanwhile waits at most that long) and
never less than MIN_WAIT (so a store that cannot record a poll does not make it spin).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from newsdesk.accounts import purge_accounts
from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.digests.mail import mail_problem
from newsdesk.digests.send import send_due
from newsdesk.errors import NewsdeskError

log = logging.getLogger("newsdesk.web.poll")
MIN_WAIT = 1.0  # seconds; the shortest sleep between two rounds
DIGESTS_EVERY = 3600.0  # seconds between two looks for due digests (each is due daily or weekly)


class BackgroundPoller:
    """Every `every` seconds until stop(): purge the account tables, then poll the app's due
    sources (poll=False only purges); one round at a time."""

    def __init__(
        self,
        app: App,
        every: float = 60.0,
        *,
        poll: bool = True,
        on_new: Callable[[], None] | None = None,
    ) -> None:
        self._app = app
        self._every = every
        self._poll = poll
        self._on_new = on_new  # called after a round that stored new articles
        self._digests = poll and mail_problem(app.settings) is None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsdesk-poller", daemon=True)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def sends_digests(self) -> bool:
        """Whether this loop sends due digests: it polls, and an SMTP server is set."""
        return self._digests

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def purge_once(self) -> None:
        """Delete expired sessions and failed logins that no longer count for throttling."""
        expired, failures = purge_accounts(self._app.store, utcnow())
        if expired or failures:
            log.info("purged %d expired sessions, %d old failed logins", expired, failures)

    def run_once(self) -> int:
        """Poll the due sources, within the round's time budget; the number polled."""
        done = self._app.poller.poll_due(should_stop=self._stop.is_set)
        if done.report.new_ids and self._on_new is not None:
            self._on_new()
        return len(done.results)

    def send_digests_once(self) -> None:
        """Send the digests that are due; a reader the server refused is logged, and tried
        again on the next look."""
        report = send_due(self._app.store, self._app.settings)
        for failed in report.failed:
            log.warning("digest not sent to %s: %s", failed.name, failed.reason)
        if report.outcomes:
            log.info("digests: %d sent, %d failed", report.counted("sent"), len(report.failed))

    def seconds_to_next(self) -> float:
        """How long to sleep before the next round: until the next source falls due, bounded."""
        now = utcnow()
        due_at = self._app.poller.next_due_at(now)
        if due_at is None:
            return self._every
        return min(max((due_at - now).total_seconds(), MIN_WAIT), max(self._every, MIN_WAIT))

    def _run(self) -> None:
        purge_due = digests_due = 0.0
        while not self._stop.is_set():
            wait = self._every
            if time.monotonic() >= purge_due:
                self._guarded("purge", self.purge_once)
                purge_due = time.monotonic() + self._every
            if self._digests and time.monotonic() >= digests_due:
                self._guarded("digests", self.send_digests_once)
                digests_due = time.monotonic() + DIGESTS_EVERY
            if self._poll:
                wait = self._poll_round()
            self._stop.wait(wait)

    @staticmethod
    def _guarded(what: str, work: Callable[[], None]) -> None:
        """work(); no exception ends the thread."""
        try:
            work()
        except NewsdeskError as exc:  # a store or mail failure: log it, try next time
            log.warning("background %s failed: %s", what, exc)
        except Exception:  # a bug: the thread outlives it, and the traceback is logged
            log.exception("background %s failed", what)

    def _poll_round(self) -> float:
        """One round, then the wait before the next; no exception ends the thread."""
        try:
            self.run_once()
            return self.seconds_to_next()
        except NewsdeskError as exc:  # the store failed: log it, try again after `every`
            log.warning("background poll failed: %s", exc)
        except Exception:  # a bug: the thread outlives it, and the traceback is logged
            log.exception("background poll failed")
        return self._every
