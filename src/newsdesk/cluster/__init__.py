"""Cluster: online story clustering of canonical articles by embedding, entities and time.

The stage never touches the store: the pipeline loads live stories into a StoryIndex, asks
place() where each new article goes, and persists the states that join(), start() and merge()
return. Stable: the same articles in the same order give the same stories.
"""

from newsdesk.cluster.bcubed import bcubed
from newsdesk.cluster.index import StoryIndex, day_number
from newsdesk.cluster.state import Placement, StoryState
from newsdesk.cluster.text import article_text_for_embedding, event_details, may_share_story

__all__ = [
    "Placement",
    "StoryIndex",
    "StoryState",
    "article_text_for_embedding",
    "bcubed",
    "day_number",
    "event_details",
    "may_share_story",
]
