"""StoryIndex on hand-made vectors: placement, time window, entities, join, merge, stability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdesk.cluster import StoryIndex, StoryState
from newsdesk.cluster.index import years_named
from newsdesk.errors import ConfigError, NotFoundError

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)
NONE: frozenset[str] = frozenset()


def unit(*weights: float, dim: int = 384) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


def index(**kw: float | None) -> StoryIndex:
    params = {"threshold": 0.6, "entity_weight": 0.3, "window_days": 7.0, "merge_threshold": 0.8}
    params.update(kw)
    return StoryIndex(**params)  # type: ignore[arg-type]


def test_empty_index_starts_a_story() -> None:
    placed = index().place(unit(1), NONE, T0)
    assert placed.story_id is None
    assert placed.merge_with == ()


def test_similar_article_joins_and_reason_names_the_evidence() -> None:
    idx = index()
    idx.start(1, unit(1, 0.1), frozenset({"Umerov", "Istanbul"}), T0)
    idx.start(2, unit(0, 1), NONE, T0)
    placed = idx.place(unit(1, 0.2), frozenset({"Umerov", "Istanbul", "Kyiv"}), T0 + timedelta(2))
    assert placed.story_id == 1
    assert placed.shared_entities == ("Istanbul", "Umerov")
    assert placed.similarity == pytest.approx(float(unit(1, 0.1) @ unit(1, 0.2)), abs=1e-5)
    assert placed.score > placed.similarity  # shared entities add, two days cost a little
    assert placed.reason.startswith("cosine 1.00, shared: Istanbul, Umerov, 2 days apart")


def test_unrelated_article_starts_a_new_story() -> None:
    idx = index()
    idx.start(1, unit(1), NONE, T0)
    placed = idx.place(unit(0, 1), NONE, T0)
    assert placed.story_id is None
    assert placed.similarity == pytest.approx(0.0, abs=1e-6)


def test_shared_entities_decide_a_borderline_case() -> None:
    idx = index()
    idx.start(1, unit(1, 0), frozenset({"Lohan", "Betty Ford"}), T0)
    v = unit(1, 1.1)  # cosine 0.67: above 0.6, below 0.75 unless entities are shared
    assert idx.place(v, frozenset({"Lohan", "Betty Ford"}), T0).story_id == 1
    strict = index(threshold=0.75)
    strict.start(1, unit(1, 0), frozenset({"Lohan", "Betty Ford"}), T0)
    assert strict.place(v, frozenset({"Lohan", "Betty Ford"}), T0).story_id == 1
    assert strict.place(v, frozenset({"Reid", "Promises"}), T0).story_id is None


def test_stories_outside_the_window_are_not_candidates() -> None:
    idx = index()
    idx.start(1, unit(1), NONE, T0)
    assert idx.place(unit(1), NONE, T0 + timedelta(days=6)).story_id == 1
    assert idx.place(unit(1), NONE, T0 + timedelta(days=9)).story_id is None
    assert idx.place(unit(1), NONE, T0 - timedelta(days=9)).story_id is None


def test_undated_article_needs_more_similarity() -> None:
    idx = index(undated_margin=0.2)
    idx.start(1, unit(1), NONE, T0)
    assert idx.place(unit(1), NONE, None).story_id == 1
    near = unit(1, 1)  # cosine 0.71: joins with a date, not without
    assert idx.place(near, NONE, T0).story_id == 1
    assert idx.place(near, NONE, None).story_id is None
    assert idx.place(near, NONE, None).reason == "below threshold"


def test_undated_article_and_dated_story_pay_the_mixed_margin() -> None:
    # without a date an article may be the same event or an older one of the same kind
    idx = index(undated_margin=0.0, mixed_margin=0.3)
    idx.start(1, unit(1), NONE, T0)  # dated
    idx.start(2, unit(0, 1), NONE, None)  # undated
    near_dated, near_undated = unit(1, 0.5), unit(0.5, 1)  # cosine 0.89 with each
    assert idx.place(near_dated, NONE, T0).story_id == 1
    assert idx.place(near_dated, NONE, None).story_id is None  # 0.89 - 0.3 < 0.6
    assert idx.place(near_undated, NONE, None).story_id == 2  # both undated: margin 0
    assert idx.place(near_undated, NONE, T0).story_id is None  # dated article, undated story
    assert index(undated_margin=0.2, mixed_margin=None).mixed_margin == 0.2  # one margin


def test_a_bridging_article_merges_two_halves_of_one_event() -> None:
    # two stories of one event (same names) that grew apart; the article joins one of them,
    # and the story it makes is close enough to the other to be proved the same event
    idx = index(story_merge_threshold=1.0, merge_threshold=1.2)
    names = frozenset({"Kraft", "Hiller", "Philadelphia"})
    idx.start(1, unit(1, 0.3), names, T0)
    idx.start(2, unit(1, -0.4), names, T0 + timedelta(days=1))
    idx.start(3, unit(1, -0.4), frozenset({"Other"}), T0 + timedelta(days=1))  # no names shared
    placed = idx.place(unit(1, 0.1), names, T0)
    assert placed.story_id == 1
    assert placed.merge_with == (2,)
    # without the second look only an article passing merge_threshold with both merges
    plain = index(merge_threshold=1.2, story_merge_threshold=None)
    for state in (idx.get(1), idx.get(2), idx.get(3)):
        plain.add(state)
    assert plain.place(unit(1, 0.1), names, T0).merge_with == ()
    # stories more than the window apart never merge
    far = index(story_merge_threshold=1.0, merge_threshold=1.2)
    far.start(1, unit(1, 0.3), names, T0)
    far.start(2, unit(1, -0.4), names, T0 + timedelta(days=30))
    assert far.place(unit(1, 0.1), names, T0).merge_with == ()


def test_regroup_moves_an_early_article_into_the_story_formed_after_it() -> None:
    # an article that came before its event's coverage had formed started a story of its own;
    # once that coverage is an established story and grows, regroup() moves it there
    def run(home_size: int, early: np.ndarray) -> list[tuple[int, int]]:
        idx = index(small_size=1, home_size=home_size, small_threshold=0.7)
        idx.start(2, early, NONE, T0)
        idx.start(9, unit(0, 0, 1), NONE, T0)  # an unrelated one-article story
        idx.add(StoryState(5, unit(1, 0.2), 5, {}, T0, T0))
        assert idx.regroup() == []  # nothing grew yet
        idx.join(5, unit(1, 0.2), NONE, T0 + timedelta(hours=1))  # now 6 articles
        return idx.regroup()

    assert run(home_size=6, early=unit(1, 0.8)) == [(2, 5)]  # cosine 0.86: the smaller id kept
    assert run(home_size=7, early=unit(1, 0.8)) == []  # the story is not established yet
    assert run(home_size=6, early=unit(0.2, 1)) == []  # cosine 0.39: not the same event
    # a story the caller holds fixed (split by hand) is never moved
    idx = index(small_size=1, home_size=6, small_threshold=0.7)
    idx.start(2, unit(1, 0.8), NONE, T0)
    idx.add(StoryState(5, unit(1, 0.2), 5, {}, T0, T0))
    idx.join(5, unit(1, 0.2), NONE, T0)
    assert idx.regroup(lambda story_id: story_id != 2) == []
    assert 2 in idx and idx.get(5).size == 6
    idx = index(small_size=0)
    idx.start(2, unit(1, 0.8), NONE, T0)
    idx.add(StoryState(5, unit(1, 0.2), 6, {}, T0, T0))
    idx.join(5, unit(1, 0.2), NONE, T0)
    assert idx.regroup() == []  # switched off


def test_an_undated_article_naming_the_story_year_pays_the_year_margin() -> None:
    # the lead's years (event details) place an undated article in time: the year of the
    # dated story's span (or the next one) meets it; an older year is an older event
    idx = index(undated_margin=0.2, mixed_margin=0.4, year_margin=0.0)
    idx.start(1, unit(1), NONE, T0)  # dated 2024
    near = unit(1, 0.5)  # cosine 0.89: joins at margin 0, not at 0.4
    for named, story in (({"2024"}, 1), ({"2025"}, 1), ({"2021"}, None), (set(), None)):
        placed = idx.place(near, frozenset(named), None)
        assert placed.story_id == story, named
    assert idx.place(near, frozenset({"2024"}), None).reason.endswith("undated, names 2024")
    # two undated sides: years at most one apart meet, years far apart pay the mixed margin
    undated = index(undated_margin=0.2, mixed_margin=0.4, year_margin=0.0)
    undated.start(1, unit(1), frozenset({"2008"}), None)
    assert undated.place(near, frozenset({"2009"}), None).story_id == 1
    assert undated.place(unit(1, 0.3), frozenset({"2013"}), None).story_id is None  # 0.96 - 0.4
    assert undated.place(unit(1, 0.3), NONE, None).story_id == 1  # no year: 0.96 - 0.2
    # year_margin None: a named year is no evidence (the mixed margin as before)
    plain = index(undated_margin=0.2, mixed_margin=0.4, year_margin=None)
    plain.start(1, unit(1), NONE, T0)
    assert plain.place(near, frozenset({"2024"}), None).story_id is None


def test_years_named_are_four_digit_details() -> None:
    assert years_named({"2013", "91", "5.6", "12000", "1850", "Lohan", "2099"}) == {2013, 2099}


def test_join_updates_centroid_size_entities_and_span() -> None:
    idx = index()
    idx.start(5, unit(1, 0), frozenset({"A"}), T0)
    state = idx.join(5, unit(0, 1), frozenset({"A", "B"}), T0 + timedelta(days=1))
    assert state.size == 2
    assert dict(state.entities) == {"A": 2, "B": 1}
    assert state.first_seen == T0
    assert state.last_seen == T0 + timedelta(days=1)
    np.testing.assert_allclose(state.centroid, unit(1, 1), atol=1e-6)
    assert state.centroid.dtype == np.float32
    assert idx.get(5) is state
    state = idx.join(5, unit(1, 0), NONE, T0 - timedelta(days=1))
    assert state.first_seen == T0 - timedelta(days=1)
    assert state.last_seen == T0 + timedelta(days=1)


def test_an_article_matching_two_stories_reports_the_merge() -> None:
    idx = index()
    idx.start(3, unit(1, 0.1), frozenset({"X"}), T0)
    idx.start(7, unit(1, -0.1), frozenset({"X"}), T0)
    idx.start(9, unit(0, 1), NONE, T0)
    placed = idx.place(unit(1), frozenset({"X"}), T0)
    assert placed.story_id == 3  # equal scores: the smaller id wins
    assert placed.merge_with == (7,)
    kept = idx.merge(3, 7)
    assert kept.story_id == 3
    assert kept.size == 2
    assert dict(kept.entities) == {"X": 2}
    np.testing.assert_allclose(kept.centroid, unit(1), atol=1e-6)
    assert 7 not in idx
    assert len(idx) == 2


def test_add_replaces_and_remove_frees_the_slot() -> None:
    idx = index()
    idx.start(1, unit(1), NONE, T0)
    idx.add(StoryState(1, unit(0, 1), 4, {"Q": 3}, T0, T0 + timedelta(days=30)))
    assert len(idx) == 1
    assert idx.place(unit(0, 1), NONE, T0 + timedelta(days=30)).story_id == 1
    assert idx.place(unit(0, 1), NONE, T0).story_id is None  # last_seen moved out of reach
    idx.remove(1)
    assert len(idx) == 0
    idx.start(2, unit(1), NONE, T0)
    assert idx.place(unit(1), NONE, T0).story_id == 2


def test_many_stories_grow_the_matrix() -> None:
    idx = index()
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(300, 384)).astype(np.float32)
    for i, v in enumerate(vectors):
        idx.start(i + 1, v, NONE, T0 + timedelta(hours=i))
    for i in (0, 150, 299):
        placed = idx.place(vectors[i], NONE, T0 + timedelta(hours=i))
        assert placed.story_id == i + 1
        assert placed.similarity == pytest.approx(1.0, abs=1e-5)


def test_same_order_same_assignments() -> None:
    rng = np.random.default_rng(7)
    centers = rng.normal(size=(5, 384))
    articles = [
        (centers[i % 5] + rng.normal(scale=0.8, size=384), T0 + timedelta(hours=i))
        for i in range(60)
    ]

    def run() -> list[int | None]:
        idx = index(threshold=0.5)
        out: list[int | None] = []
        for n, (v, when) in enumerate(articles):
            placed = idx.place(v, NONE, when)
            if placed.story_id is None:
                idx.start(n, v, NONE, when)
                out.append(n)
            else:
                idx.join(placed.story_id, v, NONE, when)
                out.append(placed.story_id)
        return out

    first = run()
    assert first == run()
    assert len(set(first)) < 20  # it does cluster


def test_errors_name_the_problem() -> None:
    idx = index()
    with pytest.raises(NotFoundError, match="story 4"):
        idx.join(4, unit(1), NONE, T0)
    with pytest.raises(NotFoundError):
        idx.remove(4)
    with pytest.raises(ConfigError, match="dimensions"):
        idx.place(np.ones(10, dtype=np.float32), NONE, T0)
    with pytest.raises(ConfigError, match="zero"):
        idx.place(np.zeros(384, dtype=np.float32), NONE, T0)
    idx.start(1, unit(1), NONE, T0)
    with pytest.raises(ConfigError, match="already exists"):
        idx.start(1, unit(1), NONE, T0)
    with pytest.raises(ConfigError, match="itself"):
        idx.merge(1, 1)
    with pytest.raises(ConfigError):
        StoryIndex(threshold=0.7, entity_weight=0.1, window_days=7, merge_threshold=0.6)
    with pytest.raises(ConfigError):
        StoryIndex(threshold=0.7, entity_weight=0.1, window_days=0, merge_threshold=0.8)


def test_naive_datetimes_are_utc() -> None:
    idx = index()
    idx.start(1, unit(1), NONE, datetime(2024, 3, 1, 12))
    assert idx.place(unit(1), NONE, T0).story_id == 1


def test_regroup_joins_follow_up_coverage_weeks_after_the_event() -> None:
    # coverage weeks after an event (a trial, a repair) is out of place()'s window and starts a
    # story of its own; regroup() looks further for its home, at followup_margin
    def run(days: float, early: np.ndarray, **kw: float | None) -> list[tuple[int, int]]:
        idx = index(small_size=1, home_size=6, small_threshold=0.7, **kw)
        idx.add(StoryState(5, unit(1, 0.2), 6, {}, T0, T0 + timedelta(days=2)))
        assert idx.regroup() == []
        later = T0 + timedelta(days=2 + days)
        assert idx.place(early, NONE, later).story_id is None  # past the window
        idx.start(9, early, NONE, later)  # nothing else grows: a quiet stream
        return idx.regroup()

    near = unit(1, 0.25)  # cosine 1.00 to the story: 1.00 - 0.2 passes 0.7
    assert run(30, near, followup_days=90, followup_margin=0.2) == [(5, 9)]
    assert run(30, near, followup_days=90, followup_margin=0.35) == []  # margin too high
    assert run(120, near, followup_days=90, followup_margin=0.2) == []  # beyond the reach
    assert run(30, near, followup_days=None) == []  # switched off: the window only
    assert run(30, unit(1, 1), followup_days=90, followup_margin=0.2) == []  # cosine 0.83


def test_follow_up_reach_is_for_established_stories_only() -> None:
    idx = index(small_size=1, home_size=6, small_threshold=0.7, followup_days=90)
    idx.add(StoryState(5, unit(1), 5, {}, T0, T0))  # five articles: still forming
    idx.start(9, unit(1), NONE, T0 + timedelta(days=30))
    assert idx.regroup() == []
    assert idx.reach_days == 90
    assert index(followup_days=None).reach_days == 7
    with pytest.raises(ConfigError, match="followup_days"):
        index(followup_days=3)
