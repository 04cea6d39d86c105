"""Enrichment stores a job's briefs, vectors and tags together: a re-run replaces them and
keeps every placement, and each story's brief is the one its members' stored briefs make."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsdesk.enrich import Member, story_brief
from newsdesk.pipeline.enrich import StoryDesk
from newsdesk.pipeline.runner import LocalRunner
from newsdesk.store import Store
from support.store import insert_texts

ARTICLES = [
    (
        "Volcano erupts on Hawaii's Big Island",
        "Kilauea erupted on Tuesday, sending lava toward the town of Hilo. Officials ordered "
        '2,000 residents to leave. "We are watching the flow closely," said Mayor Jane Smith of '
        "Hawaii County. The eruption began after a week of small earthquakes.",
    ),
    (
        "Lava from Kilauea nears Hilo",
        "Lava from the Kilauea eruption moved closer to Hilo on Wednesday, officials in Hawaii "
        "County said. About 2,000 people have left their homes. Mayor Jane Smith said shelters "
        "were open. Scientists expect the eruption to continue for weeks.",
    ),
    (
        "Central bank raises rates",
        "The European Central Bank raised its main interest rate by a quarter point on Thursday "
        "in Frankfurt. President Christine Lagarde said inflation remained too high. Markets had "
        "expected the move. Bond yields rose after the announcement.",
    ),
]


def _snapshot(store: Store, ids: list[int]) -> dict[str, Any]:
    with store.transaction(readonly=True) as repo:
        stories = repo.stories_of(ids)
        return {
            "briefs": repo.article_briefs(ids),
            "tags": [repo.tags_of(i) for i in ids],
            "vectors": {i: v.tobytes() for i, v in repo.get_vectors(ids).items()},
            "stories": stories,
            "story briefs": repo.story_briefs(list(stories.values())),
        }


def test_enriching_again_replaces_and_keeps_every_placement(tmp_path: Path) -> None:
    published = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    runner = LocalRunner(workers=1)
    with Store.open(f"sqlite:///{tmp_path / 'news.db'}") as store:
        ids = insert_texts(store, ARTICLES, published)
        try:
            desk = StoryDesk(store, runner)
            desk.run(ids)
            first = _snapshot(store, ids)
            desk.run(ids, replace=True)
            again = _snapshot(store, ids)
        finally:
            runner.close()
        with store.transaction(readonly=True) as repo:
            for story_id in set(first["stories"].values()):
                members = [
                    Member(a.id, a.source, a.title, a.published, brief)
                    for a in repo.story_members(story_id)
                    if (brief := repo.get_brief(article_id=a.id)) is not None
                ]
                assert repo.get_brief(story_id=story_id) == story_brief(members)
    assert set(first["briefs"]) == set(first["stories"]) == set(ids)
    assert all(tags for tags, _ in first["tags"])  # every article got its hashtags
    assert again == first
