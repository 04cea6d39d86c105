"""The store half of ingest: decide new / duplicate / near-duplicate, one transaction a batch."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from newsdesk.errors import StoreError
from newsdesk.models import Status
from newsdesk.pipeline.prepare import Failed, Job, Prepared, Preparer
from newsdesk.pipeline.runner import Runner
from newsdesk.store import Repo, Store

if TYPE_CHECKING:
    from newsdesk.dedup import Deduper

NEW, DUPLICATE, NEAR_DUPLICATE, UNCHANGED, FAILED = (
    Status.NEW,
    Status.DUPLICATE,
    Status.NEAR_DUPLICATE,
    Status.UNCHANGED,
    Status.FAILED,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status  # NEW, DUPLICATE, NEAR_DUPLICATE or UNCHANGED (FAILED is a Failed)
    article_id: int  # the canonical article it is (or became a sighting of)
    similarity: float | None = None


@dataclass(slots=True)
class IngestReport:
    counts: Counter[str] = field(default_factory=Counter)  # by Status (a str): counts["new"]
    failures: list[Failed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was dropped, the rest was kept
    article_ids: list[int] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # canonical articles stored by this run

    def add(self, result: Outcome | Failed) -> None:
        if isinstance(result, Failed):
            self.counts[FAILED] += 1
            self.failures.append(result)
        else:
            self.counts[result.status] += 1
            self.article_ids.append(result.article_id)
            if result.status == NEW:
                self.new_ids.append(result.article_id)

    def merge(self, other: IngestReport) -> None:
        self.counts.update(other.counts)
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)
        self.article_ids.extend(other.article_ids)
        self.new_ids.extend(other.new_ids)

    @property
    def merged(self) -> int:
        return self.counts[DUPLICATE] + self.counts[NEAR_DUPLICATE]

    def as_dict(self) -> dict[str, object]:
        return {
            "new": self.counts[NEW],
            "duplicates": self.counts[DUPLICATE],
            "near_duplicates": self.counts[NEAR_DUPLICATE],
            "unchanged": self.counts[UNCHANGED],
            "failed": self.counts[FAILED],
            "failures": [{"what": f.label, "error": f.error} for f in self.failures],
            "warnings": list(self.warnings),
        }


def store_prepared(repo: Repo, prepared: Prepared, deduper: Deduper) -> Outcome:
    """Record one prepared article: nothing is lost, and a repeat changes nothing."""
    article, sighting = prepared.article, prepared.sighting
    assert sighting.ref is not None
    known = repo.article_id_by_ref(sighting.ref)
    if known is not None:
        return Outcome(UNCHANGED, known)
    if article.canonical_url:
        same_url = repo.article_id_by_url(article.canonical_url)
        if same_url is not None:
            repo.add_sighting(same_url, sighting)
            return Outcome(DUPLICATE, same_url)
    fp = article.fingerprint
    # Texts too short for near-duplicate detection (no band keys) are matched by URL only:
    # two feed items with the same one-line teaser are not the same article.
    if fp.band_keys:
        same_text = repo.article_id_by_hash(fp.content_hash)
        if same_text is not None:
            repo.add_sighting(same_text, sighting)
            return Outcome(DUPLICATE, same_text)
        match = deduper.best_match(fp, repo.near_candidates(fp.band_keys))
        if match is not None:
            canonical, similarity = match
            repo.insert_article(article, duplicate_of=canonical)
            repo.add_sighting(canonical, sighting)
            return Outcome(NEAR_DUPLICATE, canonical, similarity)
    article_id = repo.insert_article(article)
    repo.add_sighting(article_id, sighting)
    return Outcome(NEW, article_id)


# Prepared items stored per transaction. The store's writes for one item cost about 2.5 ms;
# a commit (an fsync in WAL mode) cost as much again, once per item before batching.
STORE_BATCH = 100
STORE_EVERY_S = 2.0  # and at least this often


class Enricher(Protocol):
    def run(
        self,
        article_ids: Sequence[int],
        progress: Callable[[Any], None] | None = None,
        *,
        replace: bool = False,
    ) -> tuple[int, list[Failed]]: ...


class Ingestor:
    """Runs jobs through prepare (on the runner) and store (here, one transaction each), then
    hands the new canonical articles to the enricher (briefs and stories), when there is one;
    on_news is called after a run that stored new articles (other processes' caches renew)."""

    def __init__(
        self,
        store: Store,
        preparer: Preparer,
        runner: Runner,
        enricher: Enricher | None = None,
        on_news: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.preparer = preparer
        self.runner = runner
        self.enricher = enricher
        self.on_news = on_news

    def run(
        self,
        jobs: Iterable[Job],
        *,
        size: int | None = None,
        progress: Callable[[Outcome | Failed], None] | None = None,
        enrich_progress: Callable[[Any], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        deduper = self.preparer.deduper()
        pending: list[Prepared | Failed] = []
        flushed = time.monotonic()
        for result in self.runner.map(self.preparer, jobs, size=size):
            pending.append(result)
            # slow jobs (pages fetched one by one) are stored as they come, not held back
            if len(pending) >= STORE_BATCH or time.monotonic() - flushed > STORE_EVERY_S:
                self._store(pending, deduper, report, progress)
                pending = []
                flushed = time.monotonic()
        self._store(pending, deduper, report, progress)
        if self.enricher is not None:
            # Articles seen again that a stopped run (kill -9) stored but never enriched are
            # completed now: re-running the ingest, or the next poll, finishes them.
            unfinished = self._unfinished(report)
            if report.new_ids or unfinished:
                ids = report.new_ids + unfinished
                _, failures = self.enricher.run(ids, enrich_progress, replace=bool(unfinished))
                report.failures.extend(failures)
        if report.new_ids and self.on_news is not None:
            self.on_news()
        return report

    def _unfinished(self, report: IngestReport) -> list[int]:
        seen = set(report.article_ids) - set(report.new_ids)
        if not seen:
            return []
        with self.store.transaction(readonly=True) as repo:
            return repo.unfinished_among(sorted(seen))

    def _store(
        self,
        results: list[Prepared | Failed],
        deduper: Deduper,
        report: IngestReport,
        progress: Callable[[Outcome | Failed], None] | None,
    ) -> None:
        """One transaction for a batch: a commit per item cost more than storing it. Items are
        stored in order, so an item sees the ones before it (a repeat in one feed is a repeat).
        When the batch's transaction fails, each item is stored in its own, as before batching,
        so one bad item cannot take the others down with it."""
        outcomes: list[Outcome | Failed]
        if all(isinstance(r, Failed) for r in results):
            outcomes = [r for r in results if isinstance(r, Failed)]
        else:
            try:
                with self.store.transaction() as repo:
                    outcomes = [
                        r if isinstance(r, Failed) else store_prepared(repo, r, deduper)
                        for r in results
                    ]
            except StoreError:
                outcomes = [self._store_one(r, deduper) for r in results]
        for outcome in outcomes:
            report.add(outcome)
            if progress is not None:
                progress(outcome)

    def _store_one(self, result: Prepared | Failed, deduper: Deduper) -> Outcome | Failed:
        if isinstance(result, Failed):
            return result
        with self.store.transaction() as repo:
            return store_prepared(repo, result, deduper)
