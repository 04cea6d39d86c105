"""Wires the stages: sources -> fetch -> extract -> dedup -> store, on a runner."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.pipeline.enrich import Enriched, EnrichJob, StoryDesk, enrich_one
    from newsdesk.pipeline.ingest import Ingestor, IngestReport, Outcome, store_prepared
    from newsdesk.pipeline.local import LocalBatch, collect
    from newsdesk.pipeline.poll import Poller, PollResult
    from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob, Prepared, Preparer
    from newsdesk.pipeline.runner import LocalRunner, Runner

# Each name loads its module on first use (PEP 562): importing one part of the pipeline (the
# store half, say) must not load spaCy, the extractor and the feed parser with it.
_HOME = {
    **dict.fromkeys(["Enriched", "EnrichJob", "StoryDesk", "enrich_one"], "enrich"),
    **dict.fromkeys(["Ingestor", "IngestReport", "Outcome", "store_prepared"], "ingest"),
    **dict.fromkeys(["LocalBatch", "collect"], "local"),
    **dict.fromkeys(["Poller", "PollResult"], "poll"),
    **dict.fromkeys(["Failed", "ItemJob", "Job", "PageJob", "Prepared", "Preparer"], "prepare"),
    **dict.fromkeys(["LocalRunner", "Runner"], "runner"),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'newsdesk.pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"newsdesk.pipeline.{home}"), name)
    globals()[name] = value
    return value


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
