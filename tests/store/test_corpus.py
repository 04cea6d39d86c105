"""Real articles from the shared corpus: each is found again by its own title."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store
from support.corpus import CORPUS, needs_corpus

PAGES = 40


def corpus_pages() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    # Only the gold JSON is needed: skip support.corpus.iter_pages, which also gunzips every page.
    pages = CORPUS / "pages"
    with (pages / "index.jsonl").open(encoding="utf-8") as index:
        metas = [json.loads(line) for line in islice(index, PAGES * 2)]
    found = []
    for meta in metas:
        expected = json.loads((pages / meta["expected"]).read_text(encoding="utf-8"))
        if expected.get("title") and expected.get("body_text"):
            found.append((meta, expected))
    return found[:PAGES]


def corpus_articles() -> list[NewArticle]:
    found = []
    for meta, expected in corpus_pages():
        text = expected["body_text"]
        digest = hashlib.sha256(text.encode()).hexdigest()
        found.append(
            NewArticle(
                source=meta["publisher"],
                title=expected["title"],
                text=text,
                fingerprint=Fingerprint(digest, digest.encode()[:16], (digest.encode()[:8],)),
                url=meta["url"],
                lang=meta["lang"],
                published=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )
    return found


@needs_corpus
def test_every_corpus_article_is_found_by_its_title(store: Store) -> None:
    news = corpus_articles()
    assert len(news) == PAGES
    with store.transaction() as repo:
        ids = [repo.insert_article(article) for article in news]
    top = 0
    with store.transaction(readonly=True) as repo:
        for article_id, article in zip(ids, news, strict=True):
            hits = repo.search(article.title, limit=3)
            assert article_id in [h.article_id for h in hits], article.title
            top += hits[0].article_id == article_id
            assert "[" in hits[0].snippet and "]" in hits[0].snippet
        assert repo.stats().articles == PAGES
    assert top >= PAGES * 0.9
