"""add_enrichments stores or replaces: a re-run leaves one brief, vector and tag set an article."""

from __future__ import annotations

import numpy as np

from newsdesk.models import Brief
from newsdesk.store import Store
from support.store import ArticleFactory


def test_add_enrichments_replaces_what_an_article_had(
    store: Store, make_article: ArticleFactory
) -> None:
    first, second = Brief(lang="en", hashtags=("#Lava",)), Brief(lang="en", hashtags=("#Ash",))
    vectors = np.eye(2, 4, dtype=np.float32)
    with store.transaction() as repo:
        article, other = repo.insert_articles(
            [make_article("Lava", "Lava reached town."), make_article("Ash", "Ash fell.")]
        )
        repo.add_enrichments(
            [
                (article, first, vectors[0], ["lava", "hilo"], [("Hilo", "PLACE")]),
                (other, first, vectors[0], ["lava"], [("Kona", "PLACE")]),
            ],
            "test-model",
        )
    with store.transaction() as repo:
        repo.add_enrichments([(article, second, vectors[1], ["ash"], [])], "new-model")
    with store.transaction(readonly=True) as repo:
        assert repo.article_briefs([article, other]) == {article: second, other: first}
        assert np.array_equal(repo.get_vectors([article], model="new-model")[article], vectors[1])
        assert repo.get_vectors([article], model="test-model") == {}
        assert repo.tags_of(article) == (["ash"], [])
        assert repo.tags_of(other) == (["lava"], [("Kona", "PLACE")])  # untouched
        assert repo.articles_without_brief() == []
