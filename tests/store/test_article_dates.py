"""An article's dates on each backend: a declared modified time and an approximate published
time survive the round trip (migration 0006); an undated article stays undated."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.store import Store
from support.store import ArticleFactory

PUBLISHED = datetime(2012, 3, 5, 9, 0, tzinfo=UTC)
MODIFIED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_modified_and_approximate_round_trip(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        updated = repo.insert_article(make_article(published=PUBLISHED, modified=MODIFIED))
        approx = repo.insert_article(make_article(published=PUBLISHED, published_approx=True))
        undated = repo.insert_article(make_article(published=None))
    with store.transaction(readonly=True) as repo:
        a, b, c = repo.get_articles([updated, approx, undated])
    assert (a.published, a.modified, a.published_approx) == (PUBLISHED, MODIFIED, False)
    assert (b.published, b.modified, b.published_approx) == (PUBLISHED, None, True)
    assert (c.published, c.modified, c.published_approx) == (None, None, False)
