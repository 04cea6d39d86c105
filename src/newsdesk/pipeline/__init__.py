"""Wires the stages: sources -> fetch -> extract -> dedup -> store, on a runner."""

from newsdesk.pipeline.enrich import Enriched, EnrichJob, StoryDesk, enrich_one
from newsdesk.pipeline.ingest import Ingestor, IngestReport, Outcome, store_prepared
from newsdesk.pipeline.local import LocalBatch, collect
from newsdesk.pipeline.poll import Poller, PollResult
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob, Prepared, Preparer
from newsdesk.pipeline.runner import LocalRunner, Runner

__all__ = [
    "EnrichJob",
    "Enriched",
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
    "StoryDesk",
    "collect",
    "enrich_one",
    "store_prepared",
]
