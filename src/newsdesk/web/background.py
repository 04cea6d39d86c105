"""Background work while serving: a thread that purges expired sessions and stale failed logins,
and polls sources as they fall due (unless polling is off).

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
from newsdesk.errors import NewsdeskError

log = logging.getLogger("newsdesk.web.poll")
MIN_WAIT = 1.0  # seconds; the shortest sleep between two rounds


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
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsdesk-poller", daemon=True)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

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

    def seconds_to_next(self) -> float:
        """How long to sleep before the next round: until the next source falls due, bounded."""
        now = utcnow()
        due_at = self._app.poller.next_due_at(now)
        if due_at is None:
            return self._every
        return min(max((due_at - now).total_seconds(), MIN_WAIT), max(self._every, MIN_WAIT))

    def _run(self) -> None:
        purge_due = 0.0
        while not self._stop.is_set():
            wait = self._every
            if time.monotonic() >= purge_due:
                try:
                    self.purge_once()
                except NewsdeskError as exc:  # a store failure: log it, try next time
                    log.warning("background purge failed: %s", exc)
                except Exception:  # a bug: the thread outlives it, and the traceback is logged
                    log.exception("background purge failed")
                purge_due = time.monotonic() + self._every
            if self._poll:
                wait = self._poll_round()
            self._stop.wait(wait)

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
