"""Background work while serving: a thread that, every interval, purges expired sessions and
stale failed logins, then polls due sources (unless polling is off)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError
from newsdesk.web.auth import purge_accounts

log = logging.getLogger("newsdesk.web.poll")


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
        """Poll every due source once; the number polled."""
        poller = self._app.poller
        due = poller.due(utcnow())
        stored = 0
        for source in due:
            if self._stop.is_set():
                break
            result = poller.poll(source, utcnow())
            stored += len(result.report.new_ids)
            if result.error:
                log.warning("poll %s: %s", source.url, result.error)
        if stored and self._on_new is not None:
            self._on_new()
        return len(due)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.purge_once()
            except NewsdeskError as exc:  # a store failure: log it, try next round
                log.warning("background purge failed: %s", exc)
            if self._poll:
                try:
                    self.run_once()
                except NewsdeskError as exc:  # a store or fetch failure: log it, try next round
                    log.warning("background poll failed: %s", exc)
            self._stop.wait(self._every)
