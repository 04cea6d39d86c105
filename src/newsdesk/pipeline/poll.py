"""Polling sources: conditional GET, parse, fetch teaser items' pages, schedule the next check.

Each source is a bulkhead: whatever goes wrong while polling it (a refused redirect, a feed that
does not parse, a bug) is recorded on that source with backoff, logged, and the round goes on.
A round has a time budget and so has each source in it (one slow source cannot hold the others
back); a source that answers "Retry-After" is scheduled later, not waited for.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.errors import FetchError, NewsdeskError
from newsdesk.fetch import Fetcher, check_url, next_check
from newsdesk.models import Fetched, Item, ParsedFeed, SourceRecord
from newsdesk.pipeline.failures import ItemFailures
from newsdesk.pipeline.ingest import IngestReport, Outcome
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob
from newsdesk.sanitize import html_to_text
from newsdesk.sources import parse_feed
from newsdesk.store import Store

SHORT_ITEM_WORDS = 150  # a feed item with fewer words than this is a teaser: fetch its page
QUEUED = "queued"  # in a Sink's report: items put on a queue, not stored yet

log = logging.getLogger("newsdesk.poll")
Clock = Callable[[], float]  # monotonic seconds


class Sink(Protocol):
    """Where a poll's jobs go: the Ingestor stores them here and now; the distributed runner
    puts them on the ingest queue (newsdesk.distributed)."""

    def run(
        self,
        jobs: Iterable[Job],
        *,
        size: int | None = None,
        progress: Callable[[Outcome | Failed], None] | None = None,
    ) -> IngestReport: ...


@dataclass(frozen=True, slots=True)
class PollResult:
    source: SourceRecord
    report: IngestReport
    not_modified: bool = False
    error: str | None = None


@dataclass(slots=True)
class RoundReport:
    """What one round of polling did; `left_due` sources were due but the budget ran out."""

    results: list[PollResult] = field(default_factory=list)
    left_due: int = 0
    seconds: float = 0.0

    @property
    def report(self) -> IngestReport:
        total = IngestReport()
        for result in self.results:
            total.merge(result.report)
        return total

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.error)


class Poller:
    """Polls sources through one Fetcher and one Sink; records every outcome on the source.

    With fetch_pages=False a teaser item's page is left to whoever runs its job (`resolve`):
    the distributed ingest task fetches it, so a poll is one request and its items spread out.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        fetcher: Fetcher,
        ingestor: Sink,
        *,
        clock: Clock = time.monotonic,
        fetch_pages: bool = True,
    ):
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.ingestor = ingestor
        self.fetch_pages = fetch_pages
        self._clock = clock
        self._ends_at: float | None = None  # the monotonic end of the current poll's budget

    def due(self, now: datetime) -> list[SourceRecord]:
        with self.store.transaction() as repo:
            return repo.due_sources(now)

    def next_due_at(self, now: datetime) -> datetime | None:
        """When the next source falls due (`now` when one already is); None with no sources."""
        with self.store.transaction(readonly=True) as repo:
            return repo.next_due_at(now)

    def poll_due(
        self,
        *,
        budget: float | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        on_result: Callable[[PollResult], None] | None = None,
    ) -> RoundReport:
        """Poll the due sources, longest waiting first, until none is due or `budget` seconds
        (default: the poll_round_seconds setting) are spent. Each source is polled at most once."""
        budget = self.settings.poll_round_seconds if budget is None else budget
        started = self._clock()
        done = RoundReport()
        polled: set[int] = set()
        while True:
            batch = [s for s in self.due(utcnow()) if s.id not in polled]
            for source in batch:
                left = budget - (self._clock() - started)
                if left <= 0 or should_stop():
                    break
                result = self.poll(source, utcnow(), budget=left)  # poll() caps it per source
                polled.add(source.id)
                done.results.append(result)
                if on_result is not None:
                    on_result(result)
            else:
                if batch:
                    continue  # a full batch polled: more may be due behind it
            break
        done.left_due = sum(1 for s in self.due(utcnow()) if s.id not in polled)
        done.seconds = self._clock() - started
        log.info(
            "poll round: %d sources polled, %d failed, %d left due, %.1f s",
            len(done.results),
            done.errors,
            done.left_due,
            done.seconds,
            extra={"stage": "round", "duration": round(done.seconds, 3)},
        )
        return done

    def poll(
        self,
        source: SourceRecord,
        now: datetime,
        progress: Callable[[Outcome | Failed], None] | None = None,
        *,
        budget: float | None = None,
    ) -> PollResult:
        """Poll one source within `budget` seconds, and never more than poll_source_seconds;
        never raises for the source's own faults, which are recorded on it with backoff."""
        started = self._clock()
        cap = self.settings.poll_source_seconds
        budget = cap if budget is None else min(budget, cap)
        self._ends_at = started + budget
        retry_after: float | None = None
        try:
            result = self._poll(source, now, progress)
        except NewsdeskError as exc:
            error = str(exc)
            retry_after = getattr(exc, "retry_after", None)
        except Exception as exc:  # the bulkhead: a bug met on one source stops only that source
            log.exception(
                "poll %s: unexpected %s",
                source.url,
                type(exc).__name__,
                extra=_context(source, "poll", "error", self._clock() - started),
            )
            error = f"poll: {source.url}: unexpected {type(exc).__name__}: {exc}"
        else:
            _log_result(result, self._clock() - started)
            return result
        finally:
            self._ends_at = None
        updated = self._record(source, now, error=error, retry_after=retry_after)
        failed = PollResult(updated, IngestReport(), error=error)
        _log_result(failed, self._clock() - started)
        return failed

    def _left(self) -> float | None:
        return None if self._ends_at is None else self._ends_at - self._clock()

    def _poll(
        self,
        source: SourceRecord,
        now: datetime,
        progress: Callable[[Outcome | Failed], None] | None,
    ) -> PollResult:
        fetched = self.fetcher.fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            check_robots=source.kind == "page",
            budget=self._left(),
            wait_retry_after=False,  # scheduled later instead, by _record
        )
        if fetched.not_modified:
            updated = self._record(source, now, fetched=fetched)
            return PollResult(updated, IngestReport(), not_modified=True)
        if source.kind == "page":
            job: Job = PageJob(
                content=fetched.content,
                url=fetched.final_url,
                seen_at=now,
                charset=fetched.charset,
            )
            # A page source is fetched afresh each poll: its failures show, never hold it back.
            failures = ItemFailures(self.store, source.id, self.settings.item_attempts)
            jobs = failures.admit([job], hold=False)
            logged = self._logged(source, jobs, failures.watch(progress))
            report = self.ingestor.run(jobs, size=1, progress=logged)
            failures.settle()
        else:
            parsed = parse_feed(
                fetched.content,
                url=fetched.final_url,
                headers={"content-type": _content_type(fetched)},
            )
            self._remember_title(source, parsed)
            failures = ItemFailures(self.store, source.id, self.settings.item_attempts)
            jobs = list(self._feed_jobs(source, parsed, now, failures))
            logged = self._logged(source, jobs, failures.watch(progress))
            report = self.ingestor.run(jobs, size=len(jobs), progress=logged)
            failures.settle()
            # What the feed's reader dropped (a bad link, an unreadable item), one line each.
            for warning in parsed.warnings:
                report.warnings.append(f"{source.url}: {warning}")
                log.warning("%s", warning, extra=_context(source, "read", "warning"))
        updated = self._record(source, now, fetched=fetched)
        return PollResult(updated, report)

    def _logged(
        self,
        source: SourceRecord,
        jobs: list[Job],
        progress: Callable[[Outcome | Failed], None] | None,
    ) -> Callable[[Outcome | Failed], None]:
        """The progress callback, plus a debug line per item stored or failed, naming the
        item's URL (outcomes come in job order)."""
        urls = iter([_job_url(job) for job in jobs])

        def each(result: Outcome | Failed) -> None:
            url = next(urls, None)
            if isinstance(result, Failed):
                log.debug(
                    "item %s failed: %s",
                    url or result.label,
                    result.error,
                    extra=_context(source, "store", "failed", url=url or result.label),
                )
            else:
                status = str(result.status)  # a StrEnum: its value
                log.debug(
                    "item %s: %s as article %d",
                    url,
                    status,
                    result.article_id,
                    extra=_context(source, "store", status, url=url, article_id=result.article_id),
                )
            if progress is not None:
                progress(result)

        return each

    def _feed_jobs(
        self, source: SourceRecord, parsed: ParsedFeed, now: datetime, failures: ItemFailures
    ) -> Iterator[Job]:
        items = [
            ItemJob(item, seen_at=now, ref=f"{source.url}#{item.external_id or i}")
            for i, item in enumerate(parsed.items)
        ]
        for job in failures.admit(items):  # without the items held back after failing
            yield self.resolve(job, failures.page_failed) if self.fetch_pages else job

    def resolve(
        self, job: ItemJob, page_failed: Callable[[ItemJob, str], None] | None = None
    ) -> Job:
        """The job to prepare for a feed item: its page when the item is a teaser and the page
        can be had, else the item itself (its text is kept: nothing is lost). page_failed
        hears why a teaser's page could not be fetched."""
        page = None
        if self._is_teaser(job.item):
            failed = None if page_failed is None else functools.partial(page_failed, job)
            page = self._full_page(job.item, failed)
        if page is None:
            return job
        return PageJob(
            content=page.content,
            url=page.final_url,
            seen_at=job.seen_at,
            source=job.item.source,
            ref=job.ref,
            charset=page.charset,
        )

    def _is_teaser(self, item: Item) -> bool:
        if not (self.settings.fetch_articles and item.url):
            return False
        body = item.html or item.summary or item.text or ""
        return len(html_to_text(body).split()) < SHORT_ITEM_WORDS

    def _full_page(self, item: Item, failed: Callable[[str], None] | None = None) -> Fetched | None:
        # The feed's own text is kept when the page cannot be had (or the budget is spent):
        # nothing is lost.
        if item.url is None:
            return None
        left = self._left()
        if left is not None and left <= 0:
            return None
        started = self._clock()
        try:
            fetched = self.fetcher.fetch(
                check_url(item.url, self.settings), budget=left, wait_retry_after=False
            )
        except FetchError as exc:
            log.info(
                "page %s not fetched, the feed's text is kept: %s",
                item.url,
                exc,
                extra={"stage": "fetch", "url": item.url, "outcome": "error",
                       "duration": round(self._clock() - started, 3)},
            )  # fmt: skip
            if failed is not None:
                failed(f"page not fetched: {exc}")
            return None
        log.debug(
            "page %s fetched",
            item.url,
            extra={"stage": "fetch", "url": item.url, "outcome": "ok",
                   "duration": round(self._clock() - started, 3)},
        )  # fmt: skip
        if fetched.content_type and "html" not in fetched.content_type:
            return None
        return fetched

    def _remember_title(self, source: SourceRecord, parsed: ParsedFeed) -> None:
        if source.title and source.site_url:
            return
        with self.store.transaction() as repo:
            repo.upsert_source(
                source.url, kind=source.kind, title=parsed.title, site_url=parsed.site_url
            )

    def _record(
        self,
        source: SourceRecord,
        now: datetime,
        *,
        fetched: Fetched | None = None,
        error: str | None = None,
        retry_after: float | None = None,
    ) -> SourceRecord:
        """Note the poll on the source: the next check backs off per consecutive error and
        is never sooner than a server's Retry-After."""
        errors = source.error_count + 1 if error else 0
        when = next_check(
            now, error_count=errors, interval=self.settings.poll_interval, retry_after=retry_after
        )
        with self.store.transaction() as repo:
            return repo.record_poll(
                source.id,
                now=now,
                next_check=when,
                etag=fetched.etag if fetched else None,
                last_modified=fetched.last_modified if fetched else None,
                error=error,
            )


def _context(
    source: SourceRecord, stage: str, outcome: str, duration: float | None = None, **more: object
) -> dict[str, object]:
    """The fields every poll log line carries (see newsdesk.logs)."""
    fields: dict[str, object] = {"source_id": source.id, "url": source.url, "stage": stage}
    fields["outcome"] = outcome
    if duration is not None:
        fields["duration"] = round(duration, 3)
    return fields | more


def _job_url(job: Job) -> str | None:
    if isinstance(job, PageJob):
        return job.url or job.ref
    return job.item.url or job.ref


def _log_result(result: PollResult, seconds: float) -> None:
    source = result.source
    if result.error:
        retry = source.next_check.isoformat() if source.next_check else "now"
        log.warning(
            "poll %s failed (%d in a row, next try %s): %s",
            source.url,
            source.error_count,
            retry,
            result.error,
            extra=_context(source, "poll", "error", seconds, next_check=retry),
        )
        return
    outcome = "not-modified" if result.not_modified else "ok"
    counts = result.report.counts
    if counts[QUEUED]:  # a worker's poll: its items are stored by the ingest tasks
        log.info(
            "poll %s: %s, %d items queued",
            source.url,
            outcome,
            counts[QUEUED],
            extra=_context(source, "poll", outcome, seconds),
        )
        return
    log.info(
        "poll %s: %s, %d new, %d failed items",
        source.url,
        outcome,
        counts["new"],
        counts["failed"],
        extra=_context(source, "poll", outcome, seconds, new=counts["new"]),
    )


def _content_type(fetched: Fetched) -> str:
    if fetched.charset:
        return f"{fetched.content_type}; charset={fetched.charset}"
    return fetched.content_type
