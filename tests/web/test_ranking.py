"""The front-page ranking copy: the store's order, refreshed once its time is up."""

from __future__ import annotations

from newsdesk.app import build
from newsdesk.web.ranking import DEPTH, StoryRanking
from support.pages import PagesData


def test_ranking_pages_match_the_store_and_expire(pages_data: PagesData) -> None:
    now = [0.0]
    ranking = StoryRanking(ttl=10.0, clock=lambda: now[0])
    with build(pages_data.settings) as app, app.store.transaction(readonly=True) as repo:
        direct = repo.list_stories(limit=5, offset=2)
        assert ranking.page(repo, limit=5, offset=2) == direct
        assert ranking.page(repo, limit=3) == repo.list_stories(limit=3)
        kept = ranking._rows
        now[0] = 5.0
        ranking.page(repo, limit=3)
        assert ranking._rows is kept, "inside the time limit the copy is reused"
        now[0] = 11.0
        ranking.page(repo, limit=3)
        assert ranking._rows is not kept, "past it the ranking is read again"
        deep = ranking.page(repo, limit=5, offset=DEPTH)
        assert deep == repo.list_stories(limit=5, offset=DEPTH)
