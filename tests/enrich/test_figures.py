"""Key figures: value, unit and what they count once each; no dates, years, clock times or ranks;
one figure per value and unit across a story."""

from __future__ import annotations

import itertools
import re

import pytest

from newsdesk.enrich import analyze
from newsdesk.enrich.figures import figure_value_key, figures, singular
from newsdesk.enrich.member import Member
from newsdesk.enrich.story import merge_figures
from newsdesk.models import Brief, Cite, Figure

TEXT = (
    "The earthquake killed 26 people and injured about 70 others in Aceh on Tuesday.\n"
    "Some 70% of the houses in the village were damaged, and the government pledged "
    "$5 million in emergency aid.\n"
    "Rescue teams have 90 days to clear the rubble, officials said at 5:40 p.m. on March 12, "
    "2013.\n"
    "The quake, the strongest since 2004, struck 8 days ago at a depth of 10 kilometres.\n"
    "Aceh, ranked No. 3 among the provinces, received 1,200 tents."
)


@pytest.fixture(scope="module")
def found() -> tuple[Figure, ...]:
    analysis = analyze(TEXT, lang="en")
    return figures(analysis, set())


def test_values_and_units_are_said_once(found: tuple[Figure, ...]) -> None:
    assert found
    for f in found:
        shown = f"{f.value} {f.unit or ''}".split()
        assert all(a.casefold() != b.casefold() for a, b in itertools.pairwise(shown)), f
        assert f.unit is None or f.unit.casefold() not in f.value.casefold(), f
        assert f.value not in f.what, f  # the phrase does not repeat the number
        assert f.unit or f.what or "$" in f.value or "%" in f.value, f
    values = {f.value for f in found}
    assert {"26", "70%", "$5 million", "1,200"} <= values
    assert next(f for f in found if f.value == "70%").unit is None
    assert next(f for f in found if f.value == "$5 million").unit is None


def test_no_dates_years_clock_times_or_ranks(found: tuple[Figure, ...]) -> None:
    for f in found:
        assert not re.fullmatch(r"(?:19|20)\d\d", f.value), f
        assert f.value not in ("5:40", "12", "8", "3"), f


def test_each_figure_once(found: tuple[Figure, ...]) -> None:
    keys = [(figure_value_key(f.value), singular(f.unit)) for f in found]
    assert len(keys) == len(set(keys))


def test_keys_agree_across_spellings() -> None:
    assert figure_value_key("1,000") == figure_value_key("1000")
    assert figure_value_key("5 per cent") == figure_value_key("5%")
    assert singular("Days") == singular("day")


def _member(article_id: int, *figs: Figure) -> Member:
    return Member(article_id, f"source{article_id}", "title", None, Brief(lang="en", figures=figs))


def test_story_keeps_one_figure_per_value_and_unit() -> None:
    members = [
        _member(1, Figure("90", "day", "to clear the rubble", (Cite(2),))),
        _member(2, Figure("90", "days", "deadline set by the government", (Cite(0),))),
        _member(3, Figure("90", "day", "review", (Cite(4),)), Figure("26", "people", "killed")),
        _member(4, Figure("90", "Days", "", (Cite(1),))),
    ]
    merged = merge_figures(members)
    assert [(f.value, f.unit) for f in merged] == [("90", "day"), ("26", "people")]
    assert {c.article_id for c in merged[0].cites} == {1, 2, 3, 4}
    assert merged[0].what == "to clear the rubble"


def test_a_unit_glued_to_its_number_is_the_unit() -> None:
    text = "Police said the man fell around 2000ft (609 metres) near the Mount Sefton hut."
    found = {f.value: f.unit for f in figures(analyze(text, lang="en"), set())}
    assert found.get("2000") == "ft"  # not the year 2000
