"""One name per referent: the gazetteer, datelines, and mentions() over real model output."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.enrich import places
from newsdesk.enrich.analysis import analyze
from newsdesk.enrich.dateline import dateline
from newsdesk.enrich.entities import Mention, mentions
from newsdesk.extract import parse_text_page
from support.corpus import SEED


def _found(text: str) -> list[Mention]:
    return mentions(analyze(text, lang="en"))


def _types_of(found: list[Mention]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in found:
        out.setdefault(m.canonical, set()).add(m.type)
    return out


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("Kiev", "Kyiv"),
        ("KYIV", "Kyiv"),
        ("Rancho Mirage", "Rancho Mirage"),
        ("Calif.", "California"),
        ("Wis.", "Wisconsin"),
        ("U.S.", "United States"),
        ("Ukraine", "Ukraine"),
        ("the Netherlands", "The Netherlands"),
    ],
)
def test_gazetteer_knows_places(name: str, spelling: str) -> None:
    found = places.lookup(name)
    assert found is not None and found.name == spelling


def test_gazetteer_leaves_out_words_and_clubs() -> None:
    assert places.lookup("Defence") is None and places.lookup("Lakers") is None
    assert places.state("CA") == "California" and places.state("N.Y.") == "New York"
    assert places.is_club("Manchester United") and places.is_club("Real Madrid")
    assert not places.is_club("Salt Lake City") and not places.is_club("Orange County")
    assert places.proper_case("LA CROSSE") == "La Crosse"


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        ("LA CROSSE, Wis. (AP) — A man was arrested.", "La Crosse", "LA CROSSE, Wis."),
        ("WASHINGTON — The Senate voted.", "Washington", "WASHINGTON"),
        ("KYIV, Ukraine (Reuters) - Russia fired.", "Kyiv", "KYIV, Ukraine"),
        ("NEW YORK (CNN) -- Stocks fell.", "New York", "NEW YORK"),
        ("LONDON, March 3 (Reuters) - Shares rose.", "London", "LONDON"),
        ("By JOHN SMITH\nBEIRUT, Lebanon — Crowds gathered.", "Beirut", "BEIRUT, Lebanon"),
    ],
)
def test_datelines_are_one_place(text: str, name: str, place: str) -> None:
    found = dateline(text)
    assert found is not None and found.name == name
    assert text[found.start : found.end] == place


@pytest.mark.parametrize(
    "text",
    ["Obama — the president spoke.", "Apple (AAPL) said sales rose.", "CRICKET - LEICESTER WIN"],
)
def test_sentences_are_not_datelines(text: str) -> None:
    assert dateline(text) is None


def test_a_dateline_is_one_place_not_fragments() -> None:
    found = _found(
        "LA CROSSE, Wis. (AP) — A man was arrested on Tuesday after police said he attacked "
        "a store in La Crosse. Police Chief Shawn Kudron said the man was held."
    )
    first = found[0]
    assert (first.canonical, first.type, first.start) == ("La Crosse", "PLACE", 0)
    assert all(m.start >= first.end or m is first for m in found)
    assert {m.canonical for m in found if m.type == "PLACE"} == {"La Crosse"}


def test_a_name_cut_at_its_particle_is_one_person() -> None:
    found = _found(
        "European Commission President Ursula von der Leyen said on Monday the bloc would act. "
        "Von der Leyen told reporters in Brussels that the plan was ready."
    )
    types = _types_of(found)
    assert types.get("Ursula von der Leyen") == {"PERSON"}
    assert not any(name in types for name in ("Ursula von der", "Leyen", "Von der Leyen"))


def test_surname_and_nickname_join_the_person() -> None:
    found = _found(
        "Lindsay Lohan, known as LiLo, checked into rehab in Rancho Mirage. Lohan's lawyer said "
        "LiLo would stay there. Lindsay Lohan has been in rehab before."
    )
    types = _types_of(found)
    assert types["Lindsay Lohan"] == {"PERSON"} and types["Rancho Mirage"] == {"PLACE"}
    assert {m.canonical for m in found if m.text in ("Lohan", "LiLo")} == {"Lindsay Lohan"}


def test_places_and_clubs_take_their_kind() -> None:
    found = _found(
        "Donald Trump spoke in Kiev on Friday. Mr. Trump said Manchester United would play "
        "Real Madrid in Kyiv next year. Defence Minister Boris Pistorius agreed."
    )
    types = _types_of(found)
    assert types["Donald Trump"] == {"PERSON"}
    assert types["Kyiv"] == {"PLACE"} and "Kiev" not in types
    assert types.get("Manchester United", {"ORG"}) == {"ORG"}
    assert types.get("Real Madrid", {"ORG"}) == {"ORG"}
    assert "Defence" not in types


def test_mention_offsets_point_at_the_surface() -> None:
    text = "The U.S. said Britain's Prime Minister Keir Starmer met Mr. Biden in Washington."
    a = analyze(text, lang="en")
    for m in mentions(a):
        assert a.text[m.start : m.end] == m.text


@pytest.mark.skipif(not SEED.exists(), reason="the seed page is not beside the repo")
def test_seed_names_one_entity_per_referent() -> None:
    page = parse_text_page(SEED.read_text(encoding="utf-8"), now=datetime(2025, 6, 3, tzinfo=UTC))
    analysis = analyze(page[0].text, title=page[0].title, lang="en")
    types = _types_of(mentions(analysis))
    assert types["Ursula von der Leyen"] == {"PERSON"} and types["Rustem Umerov"] == {"PERSON"}
    assert not {"Von der Leyen", "Leyen", "Ursula von der", "Umerov", "Umerov."} & set(types)
    assert types["Istanbul"] == {"PLACE"} and types["Kiev"] == {"PLACE"}
    assert types.get("Kherson", {"PLACE"}) == {"PLACE"}
    assert "Defence" not in types


def test_a_portfolio_alone_is_no_organisation() -> None:
    found = _found(
        "Defense officials said the Defense Ministry would act. Interior Minister Nancy Faeser "
        "agreed, and Labour said it would support the plan."
    )
    names = {m.canonical for m in found}
    assert not {"Defense", "Interior"} & names
    assert all(m.type != "ORG" or " " in m.canonical or m.canonical == "Labour" for m in found)


def test_a_nickname_inside_a_name_joins_the_person() -> None:
    found = _found(
        'Lindsay "LiLo" Lohan arrived in court on Monday. LiLo smiled at reporters. '
        "Lohan left at noon."
    )
    assert {m.canonical for m in found} == {"Lindsay Lohan"}
    assert {m.type for m in found} == {"PERSON"}


def test_a_surname_the_model_calls_a_place_joins_the_person() -> None:
    text = (
        "Ava DuVernay's new documentary opened in New York on Friday. “The amendment has a "
        "clause that is a criminality clause,” DuVernay explained in an interview. DuVernay "
        "said the film took two years. Critics praised DuVernay for its research."
    )
    found = _found(text)
    assert {m.canonical for m in found if m.text == "DuVernay"} == {"Ava DuVernay"}
    assert _types_of(found)["Ava DuVernay"] == {"PERSON"}


def test_a_hyphenated_given_name_stays_whole() -> None:
    text = (
        "South Korean President Park Geun-hye said the test was reckless. United Nations "
        "Secretary General Ban Ki-moon condemned it, and a Gore-era official agreed."
    )
    names = {m.canonical for m in _found(text) if m.type == "PERSON"}
    assert {"Park Geun-hye", "Ban Ki-moon"} <= names
    assert not any(name.endswith("-era") for name in names)
