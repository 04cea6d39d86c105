"""Online story clustering: place each new article in the best live story, or start one.

Centroids live in one numpy matrix (a slot per story, reused after removal); a dict of day
buckets keyed by each story's last_seen day finds the stories inside the time window, so the
cost of place() follows the number of stories in the window, not the size of the archive.
Articles without a date are compared with every story, and undated articles and stories pay a
fixed score margin: without time, only strong evidence may join. The margin is larger when one
side is dated and the other not (mixed_margin): two events of one kind (two earthquakes, two
rehab stays) are told apart by time first, and an undated article may be the older one.
An undated side whose lead names a year within the dated side's span (event_details keeps the
years of the lead) pays year_margin instead: news leads name the year of the events they
report ("the 2013 season", "since January 2012"), so that year places the article in time.

score = cosine(article, centroid) + entity_weight * weighted Jaccard(article entities, story
entities, each story entity weighted by the share of its articles that name it)
- time_weight * gap_days / window_days; stories more than window_days away never match.
"Entities" are whatever names the caller passes: the pipeline gives canonical names and the
event details of the lead (its numbers: magnitudes, tolls, ages, years; see event_details).

regroup() (after a run of placements) re-places small stories into established ones, and
reaches past the window for them: coverage weeks after an event (the trial, the repair, the
second clinic) starts a story of its own, which joins the event's story at followup_margin.
The module is over 400 lines because placement and regroup share the index's private state.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from newsdesk.cluster.state import Placement, StoryState, Vector
from newsdesk.errors import ConfigError, NotFoundError

DIM = 384
Side = tuple[datetime | None, datetime | None, frozenset[int]]  # first, last, years named
DAY_SECONDS = 86400.0

# Chosen on the ECB+ topics 1-35 (the test topics 36-45 held out) by benchmarks/brief_stories.py:
# the best B-cubed F1 among settings that fuse at most 10% of same-topic, different-event pairs.
THRESHOLD = 0.65
ENTITY_WEIGHT = 1.5  # names and event details (numbers of the lead) together
WINDOW_DAYS = 7.0
TIME_WEIGHT = 0.05
UNDATED_MARGIN = 0.2  # an undated article and an undated story
MIXED_MARGIN = 0.4  # one of them dated, the other not: it may be an older event of the same kind
YEAR_MARGIN = 0.0  # ... unless the undated side's lead names a year of the dated side's span
FIRST_YEAR, LAST_YEAR = 1900, 2099  # four digits in this range, among the details, are years
MERGE_MARGIN = 0.15
# Story against story after the article joins (see _alike_stories); off since regroup(): with
# it on (0.9), development F1 0.934 and 4.2% of hard-negative pairs fused, off 0.935 and 2.8%.
STORY_MERGE_THRESHOLD: float | None = None
# regroup(): a story of at most SMALL_SIZE articles near a story that grew is re-placed, into
# the best established story (HOME_SIZE articles or more) it meets at threshold + SMALL_MARGIN
# (nearer the article threshold than the story-to-story one: it is a few articles, not an
# event's worth of coverage). A home still being formed is no home: early in an event's
# coverage every story is small, and two young stories of one kind would be fused before
# either showed its own details.
SMALL_SIZE = 3
HOME_SIZE = 6
SMALL_MARGIN = 0.05
# regroup() looks this far (days between spans) for the home of a small story, paying
# FOLLOWUP_MARGIN past the window: follow-up coverage of an event weeks later. Development F1
# 0.935 -> 0.949 with 90-365 days at 0.1-0.2 (flat; 30 days 0.936); the shortest of the flat
# top and the larger margin were kept. Only established stories are looked at that far.
FOLLOWUP_DAYS: float | None = 90.0
FOLLOWUP_MARGIN = 0.2
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
        year_margin: float | None = YEAR_MARGIN,
        story_merge_threshold: float | None = STORY_MERGE_THRESHOLD,
        min_similarity: float = MIN_SIMILARITY,
        small_size: int = SMALL_SIZE,
        small_threshold: float | None = None,
        home_size: int = HOME_SIZE,
        followup_days: float | None = FOLLOWUP_DAYS,
        followup_margin: float = FOLLOWUP_MARGIN,
        dim: int = DIM,
    ) -> None:
        if window_days <= 0 or dim < 1:
            raise ConfigError("cluster: window_days and dim must be positive")
        if followup_days is not None and followup_days < window_days:
            raise ConfigError("cluster: followup_days must not be below window_days")
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
        self.year_margin = year_margin  # None: named years are no evidence of time
        self.story_merge_threshold = story_merge_threshold
        self.min_similarity = min_similarity
        self.small_size = small_size
        self.small_threshold = (
            threshold + SMALL_MARGIN if small_threshold is None else small_threshold
        )
        self.home_size = max(home_size, small_size + 1)
        self.followup_days = followup_days  # None: regroup() stays inside the window
        self.followup_margin = followup_margin
        self.dim = dim
        self._states: dict[int, StoryState] = {}
        self._slot: dict[int, int] = {}
        self._entity_mass: dict[int, float] = {}  # sum of entity counts / size, per story
        self._years: dict[int, frozenset[int]] = {}  # years its articles' leads name, per story
        self._grown: set[int] = set()  # stories joined or merged into since the last regroup()
        self._started: set[int] = set()  # stories start()ed since the last regroup()
        self._matrix = np.zeros((64, dim), dtype=np.float32)
        self._ids = np.full(64, -1, dtype=np.int64)
        self._sizes = np.zeros(64, dtype=np.int64)  # per slot, for regroup()'s homes
        self._spans = np.full((64, 2), np.nan)  # per slot: first and last day; NaN undated
        self._free: list[int] = []
        self._used = 0  # slots below this mark have been handed out
        self._buckets: dict[int, set[int]] = {}  # day of last_seen -> story ids
        self._undated: set[int] = set()

    @property
    def reach_days(self) -> float:
        """How far back a caller should load stories: the window, or regroup()'s reach."""
        return max(self.window_days, self.followup_days or 0.0)

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
        self._sizes[slot] = state.size
        self._spans[slot] = _days(state)
        self._slot[state.story_id] = slot
        self._states[state.story_id] = state
        self._entity_mass[state.story_id] = sum(state.entities.values()) / max(state.size, 1)
        self._years[state.story_id] = years_named(state.entities)
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
        del self._years[story_id]
        self._grown.discard(story_id)
        self._started.discard(story_id)

    def start(
        self, story_id: int, vector: Vector, entities: frozenset[str], when: datetime | None
    ) -> StoryState:
        """Load a new one-article story under an id the caller allocated; returns its state."""
        if story_id in self._states:
            raise ConfigError(f"cluster: story {story_id} already exists")
        centroid = self._unit(vector, "article vector")
        state = StoryState(story_id, centroid, 1, dict.fromkeys(entities, 1), when, when)
        self.add(state)
        self._started.add(story_id)  # regroup() looks for its home once its event has grown
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
        years = years_named(entities)
        for story_id, sim in zip(ids[reach].tolist(), sims[reach].tolist(), strict=True):
            state = self._states[story_id]
            shared = tuple(sorted(e for e in entities if e in state.entities))
            penalty, apart = self._apart(
                (when, when, years), (state.first_seen, state.last_seen, self._years[story_id])
            )
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
        self._grown.add(story_id)
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
        self._grown.add(keep)
        return new

    def regroup(self, movable: Callable[[int], bool] | None = None) -> list[tuple[int, int]]:
        """Re-place small stories near the stories that grew since the last call; returns the
        merges done, (kept story, merged-away story), the smaller id kept, for the caller to
        persist. An article that came before the coverage of its event had formed starts a
        story of its own and is never looked at again by place(); once that coverage has
        grown, it may be the better home. Each story of at most small_size articles within
        reach of a grown story goes into the best established story it meets: centroid cosine +
        entity_weight x weighted Jaccard of the two stories' name shares - the time penalty
        between them, at least small_threshold. Bounded: grown stories since the last call,
        and the stories in their window; deterministic (ids in order). Called after a run of
        placements (the pipeline: every 16, at the end of a run), never after each article.
        `movable` says whether a small story may be moved at all (the pipeline: not one an
        editor split or merged by hand)."""
        if self.small_size < 1:
            self._grown.clear()
            self._started.clear()
            return []
        near = set(self._started)
        self._started.clear()
        for story_id in sorted(self._grown):
            state = self._states[story_id]
            if state.size <= self.small_size:
                near.add(story_id)
            ids, slots = self._span_candidates(state)
            sims = self._matrix[slots] @ state.centroid
            for other in ids[sims >= self.min_similarity].tolist():
                if self._states[other].size <= self.small_size:
                    near.add(other)
        self._grown.clear()
        merges = []
        homes: _Homes | None = None  # gathered once: homes only grow while regroup() runs
        for story_id in sorted(near):
            if story_id not in self._states:
                continue
            small = self._states[story_id]
            if small.size > self.small_size or (movable is not None and not movable(story_id)):
                continue
            if homes is None:
                homes = self._homes([self._states[i] for i in near if i in self._states])
            home = self._home(small, homes)
            if home is not None:
                keep, gone = sorted((story_id, home))
                self.merge(keep, gone)
                homes.moved(home, self._states[keep])
                merges.append((keep, gone))
        return merges  # the stories that took one in are looked at again next time

    def _home(self, small: StoryState, homes: _Homes) -> int | None:
        """The established story (home_size articles or more) a small story meets best at
        small_threshold, or None; stories up to followup_days away are looked at."""
        ids = homes.ids
        sims = homes.matrix @ small.centroid
        reach = (sims >= self.min_similarity) & (sims + self.entity_weight >= self.small_threshold)
        shares = {name: n / small.size for name, n in small.entities.items()}
        side = (small.first_seen, small.last_seen, self._years[small.story_id])
        best: tuple[float, int] | None = None
        for other, sim in zip(ids[reach].tolist(), sims[reach].tolist(), strict=True):
            state = self._states[other]
            overlap = self._shares_overlap(shares, state)
            home = (state.first_seen, state.last_seen, self._years[other])
            penalty, _ = self._apart(side, home, followup=True)
            score = sim + self.entity_weight * overlap - penalty
            if score >= self.small_threshold and (
                best is None or score > best[0] or (score == best[0] and other < best[1])
            ):
                best = (score, other)
        return None if best is None else best[1]

    def _homes(self, smalls: list[StoryState]) -> _Homes:
        """The established stories within regroup()'s reach of any of these small stories
        (one vectorized pass over the slots, one gather of their centroids); _apart() then
        rules out those too far from a given small story."""
        used = slice(0, self._used)
        wanted = (self._ids[used] >= 0) & (self._sizes[used] >= self.home_size)
        spans = [_days(small) for small in smalls]
        if spans and not any(math.isnan(first) for first, _ in spans):
            reach = self.followup_days or self.window_days
            low = min(first for first, _ in spans) - reach
            high = max(last for _, last in spans) + reach
            own = self._spans[used]
            with np.errstate(invalid="ignore"):  # NaN (an undated story) compares False
                inside = (own[:, 1] >= low) & (own[:, 0] <= high)
            wanted &= np.isnan(own[:, 0]) | inside
        slots = np.flatnonzero(wanted)
        ids = self._ids[slots].copy()
        return _Homes(ids, self._matrix[slots], {int(i): row for row, i in enumerate(ids)})

    def _shares_overlap(self, shares: dict[str, float], other: StoryState) -> float:
        """Weighted Jaccard of two stories' name shares (the share of articles naming each)."""
        inside = sum(
            min(shares[e], n / other.size) for e, n in other.entities.items() if e in shares
        )
        union = sum(shares.values()) + self._entity_mass[other.story_id] - inside
        return inside / union if union else 0.0

    def _span_candidates(self, state: StoryState) -> tuple[np.ndarray, np.ndarray]:
        """(story ids, matrix slots) of the stories within reach of a story's span."""
        if state.first_seen is None or state.last_seen is None:
            return self._candidates(None)
        first = math.floor(day_number(state.first_seen))
        last = math.floor(day_number(state.last_seen))
        reach = math.ceil(self.window_days)
        found: list[int] = list(self._undated)
        for d in range(first - reach, last + reach + 1):
            found.extend(self._buckets.get(d, ()))
        ids = np.array(found, dtype=np.int64)
        slots = np.array([self._slot[i] for i in found], dtype=np.int64)
        return ids, slots

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
        assert self.story_merge_threshold is not None  # place() looks only then
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
            grown = (first, last, self._years[story_id] | years_named(entities))
            penalty, _ = self._apart(grown, (o.first_seen, o.last_seen, self._years[other]))
            if sim + self.entity_weight * overlap - penalty >= self.story_merge_threshold:
                found.add(other)
        return found

    def _apart(self, a: Side, b: Side, *, followup: bool = False) -> tuple[float, str]:
        """(score penalty, words) for the time between two sides, each (first, last, years
        named): an article (first = last = its date) or a story (its span). Dated sides past
        the window never match, unless `followup` (regroup()) and within followup_days: then
        they pay followup_margin; an undated side pays a margin (see the module notes)."""
        a_first, a_last, _ = a
        b_first, b_last, _ = b
        if (
            a_first is not None
            and a_last is not None
            and b_first is not None
            and b_last is not None
        ):
            gap = max(
                day_number(b_first) - day_number(a_last),
                day_number(a_first) - day_number(b_last),
                0.0,
            )
            if gap > self.window_days:
                if followup and self.followup_days is not None and gap <= self.followup_days:
                    return self.followup_margin, f"{gap:.0f} days apart, a follow-up"
                return math.inf, f"{gap:.0f} days apart"
            return self.time_weight * gap / self.window_days, f"{gap:.0f} days apart"
        words = "undated" if a_first is None else "undated story"
        named = None if self.year_margin is None else _years_meet(a, b)
        if named is not None and self.year_margin is not None:
            year, meets = named  # the undated side names a year: it meets the other's or not
            if not meets:
                margin = self.mixed_margin
            elif a_first is None and b_first is None:
                margin = self.undated_margin  # one year is too long to join undated sides on
            else:
                margin = self.year_margin
            return margin, f"{words}, names {year}"
        if a_first is None and b_first is None:
            return self.undated_margin, words
        return self.mixed_margin, words

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
            sizes = np.zeros(size, dtype=np.int64)
            sizes[: self._used] = self._sizes[: self._used]
            spans = np.full((size, 2), np.nan)
            spans[: self._used] = self._spans[: self._used]
            self._matrix, self._ids, self._sizes, self._spans = matrix, ids, sizes, spans
        self._used += 1
        return self._used - 1

    def _unit(self, vector: Iterable[float] | Vector, what: str) -> Vector:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        if v.shape != (self.dim,):
            raise ConfigError(f"cluster: {what} has {v.size} dimensions, expected {self.dim}")
        return _normalized(v)


@dataclass
class _Homes:
    """The candidate homes of one regroup(): ids, their centroids gathered, id -> row."""

    ids: np.ndarray
    matrix: np.ndarray
    rows: dict[int, int]

    def moved(self, home: int, state: StoryState) -> None:
        """A home took a small story in: its centroid changed, and maybe its id (smaller kept)."""
        row = self.rows.pop(home)
        self.rows[state.story_id] = row
        self.ids[row] = state.story_id
        self.matrix[row] = state.centroid


def years_named(names: Iterable[str]) -> frozenset[int]:
    """The years among event details: four digits from FIRST_YEAR to LAST_YEAR."""
    return frozenset(
        int(name)
        for name in names
        if len(name) == 4 and name.isdigit() and FIRST_YEAR <= int(name) <= LAST_YEAR
    )


def _years_meet(a: Side, b: Side) -> tuple[int, bool] | None:
    """(the latest year the undated side names, whether its years meet the other side's time);
    None when a side has nothing to compare. Against a dated side, a named year meets its span
    or the year after it (a lead names next year's season or ceremony; a year before is more
    likely an older event of the same kind). Two undated sides meet when they name years at
    most one apart."""
    (a_first, a_last, a_years), (b_first, b_last, b_years) = a, b
    if a_first is None and b_first is None:
        if not a_years or not b_years:
            return None
        return max(a_years), any(abs(x - y) <= 1 for x in a_years for y in b_years)
    first, last, named = (
        (b_first, b_last, a_years) if a_first is None else (a_first, a_last, b_years)
    )
    if not named or first is None or last is None:
        return None
    return max(named), any(first.year <= y <= last.year + 1 for y in named)


def _days(state: StoryState) -> tuple[float, float]:
    """(first, last) day numbers of a story's span; NaN for an undated story."""
    if state.first_seen is None or state.last_seen is None:
        return math.nan, math.nan
    return day_number(state.first_seen), day_number(state.last_seen)


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
