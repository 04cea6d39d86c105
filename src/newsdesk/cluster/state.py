"""Plain data between the clustering index and whoever persists stories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class StoryState:
    """What the store keeps per story: unit centroid, size, entity counts and time span."""

    story_id: int
    centroid: Vector
    size: int
    # Articles naming each entity; float because merged stories sum the store's weights.
    entities: Mapping[str, float]
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class Placement:
    """Where an article goes: story_id None starts a story; merge_with: same-event stories."""

    story_id: int | None
    similarity: float
    shared_entities: tuple[str, ...]
    score: float
    merge_with: tuple[int, ...]
    reason: str
