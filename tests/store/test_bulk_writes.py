"""Batch writes of new articles store the same rows as the one-article writes they stand for."""

from __future__ import annotations

import numpy as np

from newsdesk.models import Brief
from newsdesk.store import Store
from support.store import ArticleFactory


def test_add_enrichments_writes_what_the_single_saves_write(
    store: Store, make_article: ArticleFactory
) -> None:
    shared = Brief(lang="en", sentences=("One.", "Two."), hashtags=("#Lava",))
    vectors = np.eye(3, 4, dtype=np.float32)
    with store.transaction() as repo:
        batch = repo.insert_articles(
            [make_article(f"Batch {i}", f"Lava reached town {i}.") for i in range(3)]
        )
        single = repo.insert_article(make_article("Single", "Lava reached town 9."))
        repo.add_enrichments(
            [
                (batch[0], shared, vectors[0], ["lava", " lava ", ""], [("Hilo", "PLACE")]),
                (batch[1], shared, vectors[1], [], []),
                (batch[2], Brief(lang="de"), vectors[2], ["town"], [("Hilo", "PLACE")] * 2),
            ],
            "test-model",
        )
        repo.save_brief(shared, article_id=single)
        repo.save_vector(single, vectors[0], "test-model")
        repo.save_tags(single, ["lava", " lava ", ""], [("Hilo", "PLACE")])
    with store.transaction(readonly=True) as repo:
        briefs = repo.article_briefs([*batch, single])
        assert briefs[batch[0]] == briefs[batch[1]] == briefs[single] == shared
        assert briefs[batch[2]] == Brief(lang="de")
        got = repo.get_vectors([*batch, single], model="test-model")
        assert np.array_equal(got[batch[1]], vectors[1])
        assert np.array_equal(got[batch[0]], got[single])
        assert repo.tags_of(batch[0]) == repo.tags_of(single) == (["lava"], [("Hilo", "PLACE")])
        assert repo.tags_of(batch[1]) == ([], [])
        assert repo.tags_of(batch[2]) == (["town"], [("Hilo", "PLACE")])
        assert repo.articles_without_brief() == []
        # The batch's text index (index_texts) finds what index_text finds.
        found = {hit.article_id for hit in repo.search("lava town")}
        assert found == {*batch, single}
