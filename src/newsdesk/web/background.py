"""Background polling while serving: a thread that polls due sources every interval."""

from __future__ import annotations

import logging
import threading

from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError

log = logging.getLogger("newsdesk.web.poll")


class BackgroundPoller:
    """Polls the app's due sources every `every` seconds until stop(); one round at a time."""

    def __init__(self, app: App, every: float = 60.0) -> None:
        self._app = app
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsdesk-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> int:
        """Poll every due source once; the number polled."""
        poller = self._app.poller
        due = poller.due(utcnow())
        for source in due:
            if self._stop.is_set():
                break
            result = poller.poll(source, utcnow())
            if result.error:
                log.warning("poll %s: %s", source.url, result.error)
        return len(due)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except NewsdeskError as exc:  # a store or fetch failure: log it, try next round
                log.warning("background poll failed: %s", exc)
            self._stop.wait(self._every)
