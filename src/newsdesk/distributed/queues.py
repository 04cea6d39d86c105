"""The named queues the stages run on; one name per stage, shared by workers, scheduler and status."""

from __future__ import annotations

POLL = "newsdesk.poll"  # poll a source: conditional GET, parse, enqueue its items
INGEST = "newsdesk.ingest"  # fetch + extract + dedup + store one item
ENRICH = "newsdesk.enrich"  # write an article's brief and vector
PLACE = "newsdesk.place"  # place articles in stories: one consumer at a time

ALL = (POLL, INGEST, ENRICH, PLACE)
