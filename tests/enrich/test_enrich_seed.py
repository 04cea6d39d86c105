"""The seed page's main article, as acceptance for the article brief."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.enrich import Analysis, analyze, article_brief, entity_names
from newsdesk.extract import parse_text_page
from newsdesk.models import Brief
from support.corpus import SEED

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the seed page is not beside the repo")


@pytest.fixture(scope="module")
def seed() -> tuple[Analysis, Brief]:
    page = parse_text_page(SEED.read_text(encoding="utf-8"), now=datetime(2025, 6, 3, tzinfo=UTC))
    analysis = analyze(page[0].text, title=page[0].title, lang="en")
    return analysis, article_brief(analysis)


def test_summary_states_the_prisoner_exchange(seed: tuple[Analysis, Brief]) -> None:
    brief = seed[1]
    assert 2 <= len(brief.summary) <= 4
    assert any("prisoner exchange" in line.text for line in brief.summary)
    for line in brief.summary:
        assert brief.sentences[line.cites[0].sentence] == line.text


def test_who_has_umerov_medinsky_and_istanbul(seed: tuple[Analysis, Brief]) -> None:
    who = {(w.name, w.type) for w in seed[1].who}
    assert ("Rustem Umerov", "PERSON") in who
    assert ("Vladimir Medinsky", "PERSON") in who
    assert ("Istanbul", "PLACE") in who


def test_umerov_mentions_merge_and_role(seed: tuple[Analysis, Brief]) -> None:
    umerov = next(w for w in seed[1].who if w.name == "Rustem Umerov")
    assert umerov.mentions >= 3
    assert umerov.role is not None and "Defence Minister" in umerov.role


def test_quotes_have_their_speakers(seed: tuple[Analysis, Brief]) -> None:
    by_text = {q.text: q.speaker for q in seed[1].quotes}
    top = "All key issues can only be resolved at the top leadership level"
    assert by_text[top] == "Rustem Umerov"
    children = next(t for t in by_text if t.startswith("We are talking about hundreds of children"))
    assert by_text[children] == "Andriy Yermak"


def test_figures_count_prisoners_and_bodies(seed: tuple[Analysis, Brief]) -> None:
    figures = {(f.value, f.unit) for f in seed[1].figures}
    assert ("1,000", "prisoners of war") in figures
    assert any(value == "6,000" and unit and "bodies" in unit for value, unit in figures)


def test_hashtags_name_ukraine_and_russia(seed: tuple[Analysis, Brief]) -> None:
    tags = seed[1].hashtags
    assert 3 <= len(tags) <= 8
    assert "#Ukraine" in tags and "#Russia" in tags


def test_entity_names_for_clustering(seed: tuple[Analysis, Brief]) -> None:
    names = entity_names(seed[0])
    assert {"Rustem Umerov", "Ukraine", "Russia", "Istanbul"} <= names
