"""Hand-labelled articles: pinned floors just under the measured test-split scores.

Test split: 33 of 63 ECB+ articles (docs/enrich_quality.md has the numbers). Speaker and hashtag
scores move a little with the process's hash seed, so their floors keep a wider margin.
"""

from __future__ import annotations

import pytest

from enrich.enrich_scoring import LabelScores, labelled_text, load_labels, score_labels
from newsdesk.enrich import analyze, article_brief
from support.corpus import needs_corpus

pytestmark = [pytest.mark.quality, needs_corpus]


@pytest.fixture(scope="module")
def test_scores() -> LabelScores:
    rows = [r for r in load_labels() if r["split"] == "test"]
    pairs = []
    for row in rows:
        title, text = labelled_text(row)
        pairs.append((row, article_brief(analyze(text, title=title or None, lang="en"))))
    return score_labels(pairs)


def test_people_found(test_scores: LabelScores) -> None:
    people = test_scores.entities["PERSON"]
    assert people.precision >= 0.85 and people.recall >= 0.77


def test_places_and_orgs_found(test_scores: LabelScores) -> None:
    assert test_scores.entities["PLACE"].precision >= 0.80
    assert test_scores.entities["ORG"].recall >= 0.68


def test_quotes_and_speakers(test_scores: LabelScores) -> None:
    assert test_scores.quote_recall.recall >= 0.92
    assert test_scores.speaker_accuracy >= 0.55


def test_figures_and_hashtags(test_scores: LabelScores) -> None:
    assert test_scores.figures.precision >= 0.58 and test_scores.figures.recall >= 0.65
    assert test_scores.hashtag_precision >= 0.30
