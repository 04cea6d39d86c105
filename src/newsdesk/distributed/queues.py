"""The named queues the stages run on; one name per stage, shared by workers, scheduler and status.

A queue is `<queue_prefix>.<stage>`: the default prefix gives the names below; another prefix
(a second deployment on the same broker, a test run) gives queues of its own.
"""

from __future__ import annotations

from newsdesk.config import Settings

STAGES = ("poll", "ingest", "enrich", "place")
PREFIX = "newsdesk"

POLL = "newsdesk.poll"  # poll a source: conditional GET, parse, enqueue its items
INGEST = "newsdesk.ingest"  # fetch + extract + dedup + store one item
ENRICH = "newsdesk.enrich"  # write an article's brief and vector
PLACE = "newsdesk.place"  # place articles in stories: one consumer at a time

ALL = (POLL, INGEST, ENRICH, PLACE)


def name(settings: Settings, stage: str) -> str:
    """The queue of one stage for these settings."""
    if stage not in STAGES:
        raise ValueError(f"no stage {stage!r}: one of {', '.join(STAGES)}")
    return f"{settings.queue_prefix}.{stage}"


def all_names(settings: Settings) -> tuple[str, ...]:
    """Every stage's queue for these settings, in stage order."""
    return tuple(name(settings, stage) for stage in STAGES)
