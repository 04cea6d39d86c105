"""B-cubed precision/recall/F1 on hand-checked clusterings."""

from __future__ import annotations

import pytest

from newsdesk.cluster import bcubed
from newsdesk.errors import ConfigError

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}


def test_perfect() -> None:
    assert bcubed(GOLD, {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}) == (1.0, 1.0, 1.0)


def test_all_singletons_have_full_precision() -> None:
    p, r, _ = bcubed(GOLD, {k: k for k in GOLD})
    assert p == 1.0
    assert r == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)


def test_one_big_cluster_has_full_recall() -> None:
    p, r, f1 = bcubed(GOLD, dict.fromkeys(GOLD, "1"))
    assert r == 1.0
    assert p == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    assert f1 == pytest.approx(2 * p / (p + 1))


def test_label_names_do_not_matter() -> None:
    a = bcubed(GOLD, {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"})
    b = bcubed(GOLD, {"a": "q", "b": "q", "c": "r", "d": "r", "e": "s"})
    assert a == b
    assert a[0] == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)


def test_mismatched_items_are_refused() -> None:
    with pytest.raises(ConfigError):
        bcubed(GOLD, {"a": "1"})
    with pytest.raises(ConfigError):
        bcubed({}, {})
