"""The four stage tasks, built from the pipeline's own parts:

- poll a source: the Poller's conditional GET, parse and bookkeeping; its items go on the ingest
  queue, one message each, instead of being stored here (QueueSink);
- ingest an item: its teaser page fetched (Poller.resolve), the Preparer, then store_prepared
  in one transaction under the dedup lock; a new article goes on to enrich;
- enrich an article: enrich_many (brief, entities, vector), store-free; the result goes on;
- place it: StoryDesk.place_enriched in the one placement consumer, which holds the placement
  lock for as long as it lives and loaded its story index from the store when it took it.

Every task is safe to run twice. An item that fails is recorded in the failed-items table on
every attempt and retried with backoff until settings.item_attempts, then held back until it
is retried by hand.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np
from celery import Celery, Task
from celery.exceptions import Retry

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.distributed import queues
from newsdesk.distributed.celery_app import (
    ENRICH_TASK,
    INGEST_TASK,
    PLACE_TASK,
    POLL_TASK,
    STAGE_OF,
)
from newsdesk.distributed.locks import DEDUP, PLACEMENT, StoreLock
from newsdesk.errors import NewsdeskError, NotFoundError, StoreError
from newsdesk.pipeline.failures import KEPT
from newsdesk.pipeline.ingest import NEW, IngestReport, Outcome, store_prepared
from newsdesk.pipeline.job_codec import dump_job, load_job
from newsdesk.pipeline.poll import QUEUED
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, job_label

if TYPE_CHECKING:
    from newsdesk.app import App
    from newsdesk.pipeline.enrich import Enriched, StoryDesk
    from newsdesk.pipeline.poll import Poller

log = logging.getLogger("newsdesk.distributed")

MAX_BACKOFF_S = 300.0
# A store that does not answer is no fault of the item: its task is retried this many times
# (backoff doubling to MAX_BACKOFF_S: about an hour in all) before it is given up and logged.
STORE_AWAY_ATTEMPTS = 16


class Desk:
    """What one worker process needs; built on its first task, after the pool has forked."""

    def __init__(
        self, settings: Settings, celery: Celery, placement: StoreLock | None = None
    ) -> None:
        self.settings = settings.with_(workers=1)  # the worker pool is the parallelism
        self.celery = celery
        self._app: App | None = None
        self._placer: StoryDesk | None = None
        self._placement = placement  # taken before consuming (see worker.run_worker)

    @property
    def app(self) -> App:
        if self._app is None:
            from newsdesk.app import build

            self._app = build(self.settings)
        return self._app

    def poller(self, source_id: int | None) -> Poller:
        from newsdesk.pipeline.poll import Poller

        app = self.app
        sink = QueueSink(self, source_id)
        return Poller(self.settings, app.store, app.fetcher, sink, fetch_pages=False)

    def send(self, task: str, *args: Any) -> None:
        queue = queues.name(self.settings, STAGE_OF[task])
        self.celery.send_task(task, args=list(args), queue=queue)

    def placer(self) -> StoryDesk:
        """The story desk of the one placement consumer: waits for the placement lock, then
        loads the live stories from the store (what the last consumer left)."""
        if self._placement is None:
            self._placement = StoreLock(self.app.store, PLACEMENT)
        if not self._placement.still_held():
            # never taken here, or lost with its connection: another consumer may have placed
            # since, so the index is loaded again once the lock is ours
            self._placer = None
            if not self._placement.try_acquire():
                log.warning("placement: another consumer holds the placement lock; waiting")
                self._placement.acquire()
            log.info("placement: this worker is the placement consumer")
        if self._placer is None:
            from newsdesk.pipeline.enrich import StoryDesk
            from newsdesk.pipeline.runner import LocalRunner

            desk = StoryDesk(self.app.store, LocalRunner(1), self.app.llm)
            desk.load()
            self._placer = desk
        return self._placer

    def drop_placer(self) -> None:
        """Forget the in-memory story index (a failed placement may have left it ahead of the
        store); the next placement loads it again. The lock stays held."""
        self._placer = None


class QueueSink:
    """The Poller's sink on a worker: each job goes on the ingest queue as JSON."""

    def __init__(self, desk: Desk, source_id: int | None) -> None:
        self.desk = desk
        self.source_id = source_id

    def run(
        self,
        jobs: Iterable[Job],
        *,
        size: int | None = None,
        progress: Callable[[Outcome | Failed], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        for job in jobs:
            self.desk.send(INGEST_TASK, dump_job(job), self.source_id)
            report.counts[QUEUED] += 1
        return report


def register(celery: Celery, settings: Settings, placement: StoreLock | None = None) -> None:
    """Register the stage tasks on this Celery app; they share one Desk per process."""
    desk = Desk(settings, celery, placement)

    @celery.task(name=POLL_TASK, bind=True)
    def poll_source(task: Task[Any, Any], source_id: int) -> None:
        _guarded(task, desk, f"poll source {source_id}", lambda: _poll(desk, source_id))

    @celery.task(name=INGEST_TASK, bind=True)
    def ingest_item(task: Task[Any, Any], payload: str, source_id: int | None = None) -> None:
        _guarded(task, desk, "ingest an item", lambda: _ingest(task, desk, payload, source_id))

    @celery.task(name=ENRICH_TASK, bind=True)
    def enrich_article(task: Task[Any, Any], article_id: int) -> None:
        _guarded(task, desk, f"enrich article {article_id}", lambda: _enrich(desk, article_id))

    @celery.task(name=PLACE_TASK, bind=True)
    def place_article(task: Task[Any, Any], placed: dict[str, Any]) -> None:
        what = f"place article {placed.get('article_id')}"
        _guarded(task, desk, what, lambda: _place(desk, placed), on_error=desk.drop_placer)


def backoff(settings: Settings, attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling, capped."""
    return float(min(MAX_BACKOFF_S, settings.backoff * 2 ** max(0, attempts - 1)))


def _guarded(
    task: Task[Any, Any],
    desk: Desk,
    what: str,
    work: Callable[[], None],
    on_error: Callable[[], None] | None = None,
) -> None:
    """Run work; on a failure retry with backoff, item_attempts times in all (more while the
    store does not answer), then log it."""
    try:
        work()
    except Retry:
        raise  # the work asked for its own retry
    except Exception as exc:
        if on_error is not None:
            on_error()
        attempts = task.request.retries + 1
        why = _reason(exc)
        if attempts < _attempts_for(exc, desk.settings):
            log.warning("%s failed (attempt %d), retrying: %s", what, attempts, why)
            raise task.retry(countdown=backoff(desk.settings, attempts), max_retries=None) from exc
        log.error("%s failed %d times, given up: %s", what, attempts, why)


def _attempts_for(exc: BaseException, settings: Settings) -> int:
    if isinstance(exc, StoreError):
        return max(STORE_AWAY_ATTEMPTS, settings.item_attempts)
    return settings.item_attempts


def _poll(desk: Desk, source_id: int) -> None:
    store = desk.app.store
    try:
        with store.transaction(readonly=True) as repo:
            source = repo.get_source(source_id)
    except NotFoundError:
        log.info("poll: source %d is gone, nothing to do", source_id)
        return
    desk.poller(source_id).poll(source, utcnow())


def _ingest(task: Task[Any, Any], desk: Desk, payload: str, source_id: int | None) -> None:
    try:
        job = load_job(payload)
    except NewsdeskError as exc:  # a message that is not a job never becomes one: dropped
        log.error("ingest: a message that is not a job was dropped: %s", exc)
        return
    label = job_label(job)
    store = desk.app.store
    with store.transaction(readonly=True) as repo:
        attempts = repo.failure_attempts(source_id, [label]).get(label, 0)
    # A feed's item that kept failing is held back until retried by hand; a page source's
    # page is fetched afresh each poll, its failures show but never hold it (as locally).
    if isinstance(job, ItemJob) and attempts >= desk.settings.item_attempts:
        log.info("ingest: %s is held back after %d failures", label, attempts)
        return
    try:
        outcome, unfinished = _store_item(desk, job, payload, source_id, forget=attempts > 0)
    except Exception as exc:
        _failed(task, desk, payload, source_id, label, _reason(exc))
        return
    log.debug(
        "ingest: %s: %s as article %d",
        label,
        str(outcome.status),  # a StrEnum: its value
        outcome.article_id,
        extra={"source_id": source_id, "url": label, "stage": "store",
               "outcome": str(outcome.status), "article_id": outcome.article_id},
    )  # fmt: skip
    if outcome.status == NEW:
        _news_arrived(desk)  # search and the article pages of every web process renew
    if desk.settings.enrich and (outcome.status == NEW or unfinished):
        desk.send(ENRICH_TASK, outcome.article_id)


def _store_item(
    desk: Desk, job: Job, payload: str, source_id: int | None, *, forget: bool
) -> tuple[Outcome, bool]:
    """Fetch (a teaser's page), prepare, then decide and store in one transaction; whether the
    article it came to still needs its brief, vector or story (a run killed before them).

    As in a local poll (pipeline.failures): a teaser whose page could not be fetched is stored
    from the feed's text and its failure recorded; an item stored at last has its record go."""
    label = job_label(job)
    page_error: list[str] = []
    if isinstance(job, ItemJob):
        job = desk.poller(source_id).resolve(job, lambda _job, why: page_error.append(why))
    preparer = desk.app.ingestor.preparer
    prepared = preparer(job)
    if isinstance(prepared, Failed):
        raise ItemFailed(prepared.error)
    store = desk.app.store
    # Deciding new / duplicate / near-duplicate reads what is stored: two items deciding at
    # once could both find nothing. The lock makes it one at a time, across every worker. An
    # item seen before (most of a changed feed) stays unchanged: it needs no lock.
    assert prepared.sighting.ref is not None
    with store.transaction(readonly=True) as repo:
        seen = repo.article_id_by_ref(prepared.sighting.ref) is not None
    with nullcontext() if seen else StoreLock(store, DEDUP), store.transaction() as repo:
        outcome = store_prepared(repo, prepared, preparer.deduper())
        unfinished = outcome.status != NEW and bool(repo.unfinished_among([outcome.article_id]))
        if page_error:
            reason = page_error[0] + KEPT
            repo.record_failure(source_id=source_id, url=label, payload=payload, reason=reason)
        elif forget:
            repo.forget_failure(source_id, label)
    return outcome, unfinished


class ItemFailed(NewsdeskError):
    """The item could not be prepared (its reason, one line, from the stage)."""


def _failed(
    task: Task[Any, Any],
    desk: Desk,
    payload: str,
    source_id: int | None,
    label: str,
    reason: str,
) -> None:
    """Count a failed attempt in the failed-items table; retry with backoff until the item has
    failed item_attempts times (then it is held back until retried by hand)."""
    try:
        with desk.app.store.transaction() as repo:
            attempts = repo.record_failure(
                source_id=source_id, url=label, payload=payload, reason=reason
            )
    except StoreError:  # the store is away: retried on the message's own count (_guarded)
        log.warning("ingest: the failure of %s could not be recorded", label)
        raise
    if attempts < desk.settings.item_attempts:
        log.info("ingest: %s failed (attempt %d), retrying: %s", label, attempts, reason)
        raise task.retry(countdown=backoff(desk.settings, attempts), max_retries=None)
    log.warning("ingest: %s failed %d times, held back: %s", label, attempts, reason)


def _enrich(desk: Desk, article_id: int) -> None:
    from newsdesk.pipeline.enrich import enrich_many, job_for

    with desk.app.store.transaction(readonly=True) as repo:
        found = repo.get_articles([article_id])
    if not found:
        log.info("enrich: article %d is gone, nothing to do", article_id)
        return
    result = enrich_many([job_for(found[0])])[0]
    if isinstance(result, Failed):
        log.warning("enrich: article %d: %s", article_id, result.error)
        return
    desk.send(PLACE_TASK, placement_message(result))


def placement_message(done: Enriched) -> dict[str, Any]:
    """What the placement consumer needs besides the stored article, as JSON."""
    from newsdesk.store.brief_codec import encode_brief

    vector = np.asarray(done.vector, dtype=np.float32)
    return {
        "article_id": done.job.article_id,
        "brief": encode_brief(done.brief),
        "vector": base64.b64encode(vector.tobytes()).decode("ascii"),
        "entities": sorted(done.entities),
    }


def _place(desk: Desk, placed: dict[str, Any]) -> None:
    from newsdesk.pipeline.enrich import Enriched, job_for
    from newsdesk.store.brief_codec import decode_brief

    placer = desk.placer()
    article_id = int(placed["article_id"])
    with desk.app.store.transaction(readonly=True) as repo:
        found = repo.get_articles([article_id])
    if not found:
        log.info("place: article %d is gone, nothing to do", article_id)
        return
    vector = np.frombuffer(base64.b64decode(placed["vector"]), dtype=np.float32).copy()
    done = Enriched(
        job_for(found[0]),
        decode_brief(placed["brief"]),
        vector,
        frozenset(str(name) for name in placed["entities"]),
    )
    placer.place_enriched([done])
    _news_arrived(desk)  # the front page and story pages of every web process renew


def _news_arrived(desk: Desk) -> None:
    """Tell every process sharing Redis that news was stored (kept pages renew); a no-op
    without redis_url. Redis away costs a warning, never the task."""
    signal = desk.app.ingestor.on_news
    if signal is not None:
        signal()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, NewsdeskError):
        return " ".join(str(exc).split())
    return f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())}"
