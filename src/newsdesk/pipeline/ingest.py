"""The store half of ingest: decide new / duplicate / near-duplicate, one transaction per item."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsdesk.dedup import Deduper
from newsdesk.pipeline.prepare import Failed, Job, Prepared, Preparer
from newsdesk.pipeline.runner import Runner
from newsdesk.store import Repo, Store

NEW, DUPLICATE, NEAR_DUPLICATE, UNCHANGED, FAILED = (
    "new",
    "duplicate",
    "near-duplicate",
    "unchanged",
    "failed",
)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # one of NEW, DUPLICATE, NEAR_DUPLICATE, UNCHANGED
    article_id: int  # the canonical article it is (or became a sighting of)
    similarity: float | None = None


@dataclass(slots=True)
class IngestReport:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failed] = field(default_factory=list)
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


class Enricher(Protocol):
    def run(
        self, article_ids: Sequence[int], progress: Callable[[Any], None] | None = None
    ) -> tuple[int, list[Failed]]: ...


class Ingestor:
    """Runs jobs through prepare (on the runner) and store (here, one transaction each), then
    hands the new canonical articles to the enricher (briefs and stories), when there is one."""

    def __init__(
        self, store: Store, preparer: Preparer, runner: Runner, enricher: Enricher | None = None
    ) -> None:
        self.store = store
        self.preparer = preparer
        self.runner = runner
        self.enricher = enricher

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
        for result in self.runner.map(self.preparer, jobs, size=size):
            outcome: Outcome | Failed
            if isinstance(result, Failed):
                outcome = result
            else:
                with self.store.transaction() as repo:
                    outcome = store_prepared(repo, result, deduper)
            report.add(outcome)
            if progress is not None:
                progress(outcome)
        if self.enricher is not None and report.new_ids:
            _, failures = self.enricher.run(report.new_ids, enrich_progress)
            report.failures.extend(failures)
        return report
