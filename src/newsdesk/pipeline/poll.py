"""Polling sources: conditional GET, parse, fetch teaser items' pages, schedule the next check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from newsdesk.config import Settings
from newsdesk.errors import FetchError, NewsdeskError
from newsdesk.fetch import Fetcher, check_url, next_check
from newsdesk.models import Fetched, Item, ParsedFeed, SourceRecord
from newsdesk.pipeline.ingest import Ingestor, IngestReport, Outcome
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob
from newsdesk.sanitize import html_to_text
from newsdesk.sources import parse_feed
from newsdesk.store import Store

SHORT_ITEM_WORDS = 150  # a feed item with fewer words than this is a teaser: fetch its page


@dataclass(frozen=True, slots=True)
class PollResult:
    source: SourceRecord
    report: IngestReport
    not_modified: bool = False
    error: str | None = None


class Poller:
    """Polls sources through one Fetcher and one Ingestor; records every outcome on the source."""

    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher, ingestor: Ingestor):
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.ingestor = ingestor

    def due(self, now: datetime) -> list[SourceRecord]:
        with self.store.transaction() as repo:
            return repo.due_sources(now)

    def poll(
        self,
        source: SourceRecord,
        now: datetime,
        progress: Callable[[Outcome | Failed], None] | None = None,
    ) -> PollResult:
        report = IngestReport()
        try:
            fetched = self.fetcher.fetch(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                check_robots=source.kind == "page",
            )
            if fetched.not_modified:
                updated = self._record(source, now, fetched=fetched)
                return PollResult(updated, report, not_modified=True)
            if source.kind == "page":
                job: Job = PageJob(
                    content=fetched.content,
                    url=fetched.final_url,
                    seen_at=now,
                    charset=fetched.charset,
                )
                report = self.ingestor.run([job], size=1, progress=progress)
            else:
                parsed = parse_feed(
                    fetched.content,
                    url=fetched.final_url,
                    headers={"content-type": _content_type(fetched)},
                )
                self._remember_title(source, parsed)
                jobs = list(self._feed_jobs(source, parsed, now))
                report = self.ingestor.run(jobs, size=len(jobs), progress=progress)
        except NewsdeskError as exc:
            updated = self._record(source, now, error=str(exc))
            return PollResult(updated, report, error=str(exc))
        updated = self._record(source, now, fetched=fetched)
        return PollResult(updated, report)

    def _feed_jobs(self, source: SourceRecord, parsed: ParsedFeed, now: datetime) -> Iterator[Job]:
        for i, item in enumerate(parsed.items):
            ref = f"{source.url}#{item.external_id or i}"
            page = self._full_page(item) if self._is_teaser(item) else None
            if page is not None:
                yield PageJob(
                    content=page.content,
                    url=page.final_url,
                    seen_at=now,
                    source=item.source,
                    ref=ref,
                    charset=page.charset,
                )
            else:
                yield ItemJob(item, seen_at=now, ref=ref)

    def _is_teaser(self, item: Item) -> bool:
        if not (self.settings.fetch_articles and item.url):
            return False
        body = item.html or item.summary or item.text or ""
        return len(html_to_text(body).split()) < SHORT_ITEM_WORDS

    def _full_page(self, item: Item) -> Fetched | None:
        # The feed's own text is kept when the page cannot be had: nothing is lost.
        assert item.url is not None
        try:
            fetched = self.fetcher.fetch(check_url(item.url, self.settings))
        except FetchError:
            return None
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
    ) -> SourceRecord:
        errors = source.error_count + 1 if error else 0
        when = next_check(now, error_count=errors, interval=self.settings.poll_interval)
        with self.store.transaction() as repo:
            return repo.record_poll(
                source.id,
                now=now,
                next_check=when,
                etag=fetched.etag if fetched else None,
                last_modified=fetched.last_modified if fetched else None,
                error=error,
            )


def _content_type(fetched: Fetched) -> str:
    if fetched.charset:
        return f"{fetched.content_type}; charset={fetched.charset}"
    return fetched.content_type
