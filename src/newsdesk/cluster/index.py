"""Online story clustering: place each new article in the best live story, or start one.

Centroids live in one numpy matrix (a slot per story, reused after removal); a dict of day
buckets keyed by each story's last_seen day finds the stories inside the time window, so the
cost of place() follows the number of stories in the window, not the size of the archive.
Articles without a date are compared with every story, and undated articles and stories pay a
fixed score margin: without time, only strong evidence may join. The margin is larger when one
side is dated and the other not (mixed_margin): two events of one kind (two earthquakes, two
rehab stays) are told apart by time first, and an undated article may be the older one.

score = cosine(article, centroid) + entity_weight * weighted Jaccard(article entities, story
entities, each story entity weighted by the share of its articles that name it)
- time_weight * gap_days / window_days; stories more than window_days away never match.
"Entities" are whatever names the caller passes: the pipeline gives canonical names and the
event details of the lead (its numbers: magnitudes, tolls, ages, years; see event_details).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np

from newsdesk.cluster.state import Placement, StoryState, Vector
from newsdesk.errors import ConfigError, NotFoundError

DIM = 384
DAY_SECONDS = 86400.0

# Chosen on the ECB+ topics 1-35 (the test topics 36-45 held out) by benchmarks/brief_stories.py:
# the best B-cubed F1 among settings that fuse at most 10% of same-topic, different-event pairs.
THRESHOLD = 0.65
ENTITY_WEIGHT = 1.5  # names and event details (numbers of the lead) together
WINDOW_DAYS = 7.0
TIME_WEIGHT = 0.05
UNDATED_MARGIN = 0.2  # an undated article and an undated story
MIXED_MARGIN = 0.4  # one of them dated, the other not: it may be an older event of the same kind
MERGE_MARGIN = 0.15
STORY_MERGE_THRESHOLD = 0.9  # story against story, after the article joins (see _alike_stories)
MIN_SIMILARITY = 0.3  # shared names alone never make two articles one event


def day_number(when: datetime) -> float:
    """Days since the epoch as a float; a naive datetime is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() / DAY_SECONDS


class StoryIndex:
    """The live stories; place() decides, join()/merge() update and return what to persist."""

    def __init__(
        self,
        *,
        threshold: float = THRESHOLD,
        entity_weight: float = ENTITY_WEIGHT,
        window_days: float = WINDOW_DAYS,
        merge_threshold: float | None = None,
        time_weight: float = TIME_WEIGHT,
        undated_margin: float = UNDATED_MARGIN,
        mixed_margin: float | None = MIXED_MARGIN,
        story_merge_threshold: float | None = STORY_MERGE_THRESHOLD,
        min_similarity: float = MIN_SIMILARITY,
        dim: int = DIM,
    ) -> None:
        if window_days <= 0 or dim < 1:
            raise ConfigError("cluster: window_days and dim must be positive")
        if merge_threshold is None:
            merge_threshold = threshold + MERGE_MARGIN
        if merge_threshold < threshold:
            raise ConfigError("cluster: merge_threshold must not be below threshold")
        self.threshold = threshold
        self.entity_weight = entity_weight
        self.window_days = window_days
        self.merge_threshold = merge_threshold
        self.time_weight = time_weight
        self.undated_margin = undated_margin
        self.mixed_margin = undated_margin if mixed_margin is None else mixed_margin
        self.story_merge_threshold = story_merge_threshold
        self.min_similarity = min_similarity
        self.dim = dim
        self._states: dict[int, StoryState] = {}
        self._slot: dict[int, int] = {}
        self._entity_mass: dict[int, float] = {}  # sum of entity counts / size, per story
        self._matrix = np.zeros((64, dim), dtype=np.float32)
        self._ids = np.full(64, -1, dtype=np.int64)
        self._free: list[int] = []
        self._used = 0  # slots below this mark have been handed out
        self._buckets: dict[int, set[int]] = {}  # day of last_seen -> story ids
        self._undated: set[int] = set()

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._states

    def story_ids(self) -> list[int]:
        """The ids of the loaded stories, ascending."""
        return sorted(self._states)

    def get(self, story_id: int) -> StoryState:
        """The current state of a story; NotFoundError when it is not loaded."""
        try:
            return self._states[story_id]
        except KeyError:
            raise NotFoundError(f"cluster: story {story_id} is not in the index") from None

    def add(self, state: StoryState) -> None:
        """Load a story, or replace the loaded story with the same id."""
        centroid = self._unit(state.centroid, f"story {state.story_id} centroid")
        if state.story_id in self._states:
            self.remove(state.story_id)
        slot = self._free.pop() if self._free else self._grow()
        self._matrix[slot] = centroid
        self._ids[slot] = state.story_id
        self._slot[state.story_id] = slot
        self._states[state.story_id] = state
        self._entity_mass[state.story_id] = sum(state.entities.values()) / max(state.size, 1)
        self._bucket_for(state).add(state.story_id)

    def remove(self, story_id: int) -> None:
        """Forget a story (evicted or merged away); NotFoundError when it is not loaded."""
        state = self.get(story_id)
        self._bucket_for(state).discard(story_id)
        slot = self._slot.pop(story_id)
        self._ids[slot] = -1
        self._free.append(slot)
        del self._states[story_id]
        del self._entity_mass[story_id]

    def start(
        self, story_id: int, vector: Vector, entities: frozenset[str], when: datetime | None
    ) -> StoryState:
        """Load a new one-article story under an id the caller allocated; returns its state."""
        if story_id in self._states:
            raise ConfigError(f"cluster: story {story_id} already exists")
        centroid = self._unit(vector, "article vector")
        state = StoryState(story_id, centroid, 1, dict.fromkeys(entities, 1), when, when)
        self.add(state)
        return state

    def place(self, vector: Vector, entities: frozenset[str], when: datetime | None) -> Placement:
        """The best story for an article (or None: start one) and the stories it proves equal."""
        v = self._unit(vector, "article vector")
        ids, slots = self._candidates(when)
        if not ids.size:
            return Placement(None, 0.0, (), 0.0, (), "no live story in the window")
        sims = self._matrix[slots] @ v
        # the entity score is at most 1, so cosine alone rules out the rest cheaply
        reach = (sims >= self.min_similarity) & (sims + self.entity_weight >= self.threshold)
        best: tuple[float, int, float, tuple[str, ...], str] | None = None
        passing: list[int] = []
        for story_id, sim in zip(ids[reach].tolist(), sims[reach].tolist(), strict=True):
            state = self._states[story_id]
            shared = tuple(sorted(e for e in entities if e in state.entities))
            penalty, apart = self._time_penalty(state, when)
            bonus = self.entity_weight * self._entity_score(shared, entities, state)
            score = sim + bonus - penalty
            if score >= self.merge_threshold:
                passing.append(story_id)
            if best is None or score > best[0] or (score == best[0] and story_id < best[1]):
                best = (score, story_id, sim, shared, apart)
        if best is None or best[0] < self.threshold:
            top = float(sims.max())
            return Placement(None, top, (), best[0] if best else top, (), "below threshold")
        score, story_id, sim, shared, apart = best
        merge = set(passing) - {story_id} if story_id in passing else set()
        if self.story_merge_threshold is not None:
            merge |= self._alike_stories(story_id, v, entities, when, ids, slots)
        reason = f"cosine {sim:.2f}, shared: {', '.join(shared[:5]) or 'none'}, {apart}"
        return Placement(story_id, sim, shared, score, tuple(sorted(merge)), reason)

    def join(
        self, story_id: int, vector: Vector, entities: frozenset[str], when: datetime | None
    ) -> StoryState:
        """Add an article to a story (running mean, renormalized); returns its new state."""
        old = self.get(story_id)
        v = self._unit(vector, "article vector")
        counts = dict(old.entities)
        for name in entities:
            counts[name] = counts.get(name, 0) + 1
        centroid = _normalized(old.centroid * old.size + v)
        new = StoryState(
            story_id,
            centroid,
            old.size + 1,
            counts,
            _earliest(old.first_seen, when),
            _latest(old.last_seen, when),
        )
        self.add(new)
        return new

    def merge(self, keep: int, gone: int) -> StoryState:
        """Fold story gone into story keep (size-weighted centroid); returns keep's new state."""
        if keep == gone:
            raise ConfigError(f"cluster: cannot merge story {keep} with itself")
        a, b = self.get(keep), self.get(gone)
        counts = dict(a.entities)
        for name, n in b.entities.items():
            counts[name] = counts.get(name, 0) + n
        centroid = _normalized(a.centroid * a.size + b.centroid * b.size)
        new = StoryState(
            keep,
            centroid,
            a.size + b.size,
            counts,
            _earliest(a.first_seen, b.first_seen),
            _latest(a.last_seen, b.last_seen),
        )
        self.remove(gone)
        self.add(new)
        return new

    def _alike_stories(
        self,
        story_id: int,
        vector: Vector,
        entities: frozenset[str],
        when: datetime | None,
        ids: np.ndarray,
        slots: np.ndarray,
    ) -> set[int]:
        """Stories that the chosen story, once it holds the article, proves the same event:
        centroid cosine + entity_weight x weighted Jaccard of the two stories' name shares
        - the time penalty between their spans, at least story_merge_threshold. This second
        look lets two halves of one event that grew apart (say, early and late coverage) meet
        when a bridging article arrives; place() already holds the candidates in the window."""
        state = self._states[story_id]
        size = state.size + 1
        centroid = _normalized(state.centroid * state.size + vector)
        shares = {name: n / size for name, n in state.entities.items()}
        for name in entities:
            shares[name] = shares.get(name, 0.0) + 1 / size
        mass = sum(shares.values())
        sims = self._matrix[slots] @ centroid
        reach = (
            (ids != story_id)
            & (sims >= self.min_similarity)
            & (sims + self.entity_weight >= self.story_merge_threshold)
        )
        found = set()
        for other, sim in zip(ids[reach].tolist(), sims[reach].tolist(), strict=True):
            o = self._states[other]
            inside = sum(min(shares[e], n / o.size) for e, n in o.entities.items() if e in shares)
            union = mass + sum(o.entities.values()) / o.size - inside
            overlap = inside / union if union else 0.0
            first = _earliest(state.first_seen, when)
            last = _latest(state.last_seen, when)
            penalty = self._span_penalty(first, last, o.first_seen, o.last_seen)
            if sim + self.entity_weight * overlap - penalty >= self.story_merge_threshold:
                found.add(other)
        return found

    def _span_penalty(
        self,
        first: datetime | None,
        last: datetime | None,
        other_first: datetime | None,
        other_last: datetime | None,
    ) -> float:
        """The time penalty between two stories' spans, as _time_penalty for an article."""
        if first is None or last is None or other_first is None or other_last is None:
            both_undated = first is None and other_first is None
            return self.undated_margin if both_undated else self.mixed_margin
        gap = max(
            day_number(other_first) - day_number(last),
            day_number(first) - day_number(other_last),
            0.0,
        )
        if gap > self.window_days:
            return math.inf
        return self.time_weight * gap / self.window_days

    def _candidates(self, when: datetime | None) -> tuple[np.ndarray, np.ndarray]:
        """(story ids, matrix slots) of the stories an article at `when` may join."""
        if when is None:
            slots = np.flatnonzero(self._ids[: self._used] >= 0)
            return self._ids[slots], slots
        day = math.floor(day_number(when))
        reach = math.ceil(self.window_days)
        found: list[int] = list(self._undated)
        for d in range(day - reach, day + reach + 1):
            found.extend(self._buckets.get(d, ()))
        ids = np.array(found, dtype=np.int64)
        slots = np.array([self._slot[i] for i in found], dtype=np.int64)
        return ids, slots

    def _entity_score(
        self, shared: tuple[str, ...], entities: frozenset[str], state: StoryState
    ) -> float:
        """Weighted Jaccard in [0, 1]: each story entity counts by its share of the articles."""
        if not shared:
            return 0.0
        inside = sum(state.entities[e] for e in shared) / state.size
        story = self._entity_mass[state.story_id]
        return inside / (len(entities) + story - inside)

    def _time_penalty(self, state: StoryState, when: datetime | None) -> tuple[float, str]:
        """(score penalty, words) for the time between an article and a story."""
        if state.first_seen is None or state.last_seen is None:
            if when is None:
                return self.undated_margin, "undated"
            return self.mixed_margin, "undated story"
        if when is None:
            return self.mixed_margin, "undated"
        t = day_number(when)
        first, last = day_number(state.first_seen), day_number(state.last_seen)
        gap = max(first - t, t - last, 0.0)
        if gap > self.window_days:
            return math.inf, f"{gap:.0f} days apart"
        return self.time_weight * gap / self.window_days, f"{gap:.0f} days apart"

    def _bucket_for(self, state: StoryState) -> set[int]:
        if state.last_seen is None:
            return self._undated
        return self._buckets.setdefault(math.floor(day_number(state.last_seen)), set())

    def _grow(self) -> int:
        if self._used == len(self._ids):
            size = 2 * len(self._ids)
            matrix = np.zeros((size, self.dim), dtype=np.float32)
            matrix[: self._used] = self._matrix[: self._used]
            ids = np.full(size, -1, dtype=np.int64)
            ids[: self._used] = self._ids[: self._used]
            self._matrix, self._ids = matrix, ids
        self._used += 1
        return self._used - 1

    def _unit(self, vector: Iterable[float] | Vector, what: str) -> Vector:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        if v.shape != (self.dim,):
            raise ConfigError(f"cluster: {what} has {v.size} dimensions, expected {self.dim}")
        return _normalized(v)


def _normalized(v: Vector) -> Vector:
    norm = float(np.linalg.norm(v))
    if not math.isfinite(norm) or norm == 0.0:
        raise ConfigError("cluster: a zero or non-finite vector has no direction")
    return (v / norm).astype(np.float32)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return min(a, b, key=day_number)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b, key=day_number)
