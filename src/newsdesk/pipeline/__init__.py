"""Wires the stages: sources -> fetch -> extract -> dedup -> store, on a runner."""

from newsdesk.pipeline.ingest import Ingestor, IngestReport, Outcome, store_prepared
from newsdesk.pipeline.local import LocalBatch, collect
from newsdesk.pipeline.poll import Poller, PollResult
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob, Prepared, Preparer
from newsdesk.pipeline.runner import LocalRunner, Runner

__all__ = [
    "Failed",
    "IngestReport",
    "Ingestor",
    "ItemJob",
    "Job",
    "LocalBatch",
    "LocalRunner",
    "Outcome",
    "PageJob",
    "PollResult",
    "Poller",
    "Prepared",
    "Preparer",
    "Runner",
    "collect",
    "store_prepared",
]
