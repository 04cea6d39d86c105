"""Failed items in a poll: each failure is recorded, an item that failed settings.item_attempts
times is held back, and an item stored at last is cleared (the table is store/failures.py).

An item is a feed entry or the page of a page source; it is recorded under its URL (job_label)
with the job a retry runs: the feed's item (a retry fetches its page again), or the page itself.
A teaser whose page could not be fetched is stored from the feed's text (nothing is lost) and
recorded too, so a page that keeps failing stops being asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from newsdesk.errors import SourceError
from newsdesk.pipeline.ingest import Outcome
from newsdesk.pipeline.job_codec import dump_job, load_job
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, job_label
from newsdesk.store import Store
from newsdesk.store.failures import FailedItem, one_line

if TYPE_CHECKING:
    from newsdesk.pipeline.poll import Poller

log = logging.getLogger("newsdesk.poll")
Progress = Callable[[Outcome | Failed], None]
KEPT = "; the feed's text was kept"
J = TypeVar("J", bound=Job)


class ItemFailures:
    """The items of one poll of one source: which are held back, which failed, which recovered."""

    def __init__(self, store: Store, source_id: int | None, attempts: int) -> None:
        self.store = store
        self.source_id = source_id
        self.attempts = attempts  # failures after which an item is held back
        self.held: list[str] = []  # URLs held back in this poll
        self._known: dict[str, int] = {}  # URL -> failures recorded before this poll
        self._jobs: Sequence[Job] = ()  # the jobs a retry would run, in the order they ran
        self._results: list[Outcome | Failed] = []
        self._page_errors: dict[str, str] = {}  # URL -> why its page was not fetched

    def admit(self, jobs: Sequence[J], *, hold: bool = True) -> list[J]:
        """The jobs to run now: without those held back (when hold) after too many failures."""
        keys = [job_label(job) for job in jobs]
        with self.store.transaction(readonly=True) as repo:
            self._known = repo.failure_attempts(self.source_id, keys)
        admitted: list[J] = []
        for key, job in zip(keys, jobs, strict=True):
            if hold and self._known.get(key, 0) >= self.attempts:
                self.held.append(key)
            else:
                admitted.append(job)
        if self.held:
            log.info(
                "%d items held back after %d failures (see `newsdesk failures`)",
                len(self.held),
                self.attempts,
                extra={"source_id": self.source_id, "stage": "ingest", "outcome": "held"},
            )
        self._jobs = admitted
        return admitted

    def page_failed(self, job: ItemJob, reason: str) -> None:
        """The teaser's page could not be fetched (its feed text goes on instead)."""
        self._page_errors[job_label(job)] = reason

    def watch(self, progress: Progress | None) -> Progress:
        """progress, also noting each result (they come in job order) for settle()."""

        def each(result: Outcome | Failed) -> None:
            self._results.append(result)
            if progress is not None:
                progress(result)

        return each

    def settle(self) -> None:
        """Record the items that failed and forget those stored at last, in one transaction."""
        failed: list[tuple[str, Job, str]] = []
        stored: list[str] = []
        for job, result in zip(self._jobs, self._results, strict=False):
            key = job_label(job)
            if isinstance(result, Failed):
                failed.append((key, job, result.error))
            elif key in self._page_errors:
                failed.append((key, job, self._page_errors[key] + KEPT))
            elif key in self._known:
                stored.append(key)
        if not failed and not stored:
            return
        with self.store.transaction() as repo:
            for key, job, reason in failed:
                repo.record_failure(
                    source_id=self.source_id, url=key, payload=dump_job(job), reason=reason
                )
            if stored:
                repo.forget_failures(self.source_id, stored)


@dataclass(frozen=True, slots=True)
class Retried:
    """What a retry by hand did, in one line."""

    item: FailedItem
    ok: bool  # stored (or queued for a worker); False: it failed again, and is still recorded
    message: str


def run_again(poller: Poller, item: FailedItem) -> Retried:
    """Run a failed item's job again here (its page fetched again), through the poller's
    ingestor: stored, its record goes; failed, its record counts one more attempt."""
    where = f"#{item.id} {item.url}"
    try:
        job = load_job(item.payload)
    except SourceError as exc:
        return Retried(item, False, f"{where} not retried: its stored job is unreadable: {exc}")
    page_error: list[str] = []
    if isinstance(job, ItemJob):
        job = poller.resolve(job, lambda _job, why: page_error.append(why))
    results: list[Outcome | Failed] = []
    poller.ingestor.run([job], size=1, progress=results.append)
    result = results[0] if results else Failed(item.url, "the ingestor gave no result")
    with poller.store.transaction() as repo:
        if isinstance(result, Outcome) and not page_error:
            repo.forget_failure(item.source_id, item.url)
            said = f"{where} stored: {result.status} as article {result.article_id}"
            return Retried(item, True, said)
        reason = result.error if isinstance(result, Failed) else page_error[0] + KEPT
        attempts = repo.record_failure(
            source_id=item.source_id, url=item.url, payload=item.payload, reason=reason
        )
    return Retried(item, False, f"{where} failed again ({attempts} attempts): {one_line(reason)}")
