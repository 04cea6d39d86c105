"""Derived values kept per process: fresh for ttl seconds, all dropped when news arrive, a
value computed while news arrived never kept, the oldest dropped past the bound."""

from __future__ import annotations

from newsdesk.web.derived import Derived


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_kept_for_ttl_then_read_again() -> None:
    clock, calls = Clock(), []
    derived = Derived(ttl=15.0, clock=clock)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert derived.get("k", compute) == 1
    clock.now += 14.9
    assert derived.get("k", compute) == 1
    clock.now += 0.2
    assert derived.get("k", compute) == 2
    assert len(calls) == 2


def test_expire_drops_everything_and_a_value_computed_meanwhile_is_not_kept() -> None:
    derived = Derived(ttl=15.0, clock=Clock())
    assert derived.get("a", lambda: "old") == "old"
    derived.expire()
    assert derived.get("a", lambda: "new") == "new"

    def computed_while_news_arrived() -> str:
        derived.expire()
        return "stale"

    assert derived.get("b", computed_while_news_arrived) == "stale"
    assert derived.get("b", lambda: "fresh") == "fresh"


def test_get_many_reads_only_the_missing_in_one_call() -> None:
    derived = Derived(ttl=15.0, clock=Clock())
    asked: list[list[int]] = []

    def compute(missing: list[int]) -> dict[int, str]:
        asked.append(missing)
        return {k: f"v{k}" for k in missing if k != 3}  # 3 has no value

    assert derived.get_many([1, 2, 3], compute) == {1: "v1", 2: "v2"}
    assert derived.get_many([2, 3, 4], compute) == {2: "v2", 4: "v4"}
    assert asked == [[1, 2, 3], [3, 4]]


def test_bounded_oldest_first() -> None:
    derived = Derived(ttl=15.0, max_entries=2, clock=Clock())
    for key in ("a", "b", "c"):
        derived.get(key, lambda key=key: key)
    assert len(derived) == 2
    assert derived.get("a", lambda: "again") == "again"
