"""Quality gate: online clustering of real ECB+ articles (real MiniLM, real spaCy), pinned floor.

Parameters were chosen on ECB+ topics 1-35 by benchmarks/brief_stories.py (see
docs/cluster_quality.md); this runs the held-out test topics 36-45 (210 articles, about 30 s
including the models) with the defaults, as the pipeline places articles (regroup() after
every 16).
"""

from __future__ import annotations

import pytest
from cluster_evalset import TEST_TOPICS, Doc, corpus_available, featurize, load_rows, score

from newsdesk.cluster import StoryIndex
from newsdesk.nlp.embedder import default_embedder
from support.corpus import CORPUS

# measured on the test topics with the defaults: B-cubed F1 0.903 (precision 1.000, recall
# 0.823), hard-negative rate 0.000 (before regroup() reached 90 days for follow-ups: 0.894,
# recall 0.808; before the lead's years and regroup(): 0.880); the issue asks F1 >= 0.90 and
# at most 10% fused
F1_FLOOR = 0.90
HARD_NEGATIVE_MAX = 0.03

pytestmark = [
    pytest.mark.quality,
    pytest.mark.skipif(not corpus_available(CORPUS), reason="the shared corpus is absent"),
]


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    """Embeddings and entities of the test topics, computed once (about 20 s on one core)."""
    return featurize(load_rows(CORPUS, TEST_TOPICS), default_embedder())


def test_bcubed_f1_floor_on_test_topics(docs: list[Doc]) -> None:
    result = score(docs, StoryIndex())
    assert result.f1 >= F1_FLOOR, result
    assert result.hard_negative_rate <= HARD_NEGATIVE_MAX, result


def test_same_order_gives_same_stories(docs: list[Doc]) -> None:
    assert score(docs, StoryIndex()) == score(docs, StoryIndex())
