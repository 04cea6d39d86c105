"""A story's section and country are written with its brief, and a re-run (what `newsdesk
reprocess` does) gives them to stories stored before there were sections."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.pipeline.enrich import StoryDesk
from newsdesk.pipeline.runner import LocalRunner
from newsdesk.store import Store
from support.store import insert_texts

ARTICLES = [
    (
        "Volcano erupts on Hawaii's Big Island",
        "HILO, Hawaii (AP) - Kilauea erupted on Tuesday, sending lava toward the town of Hilo in "
        "Hawaii. Officials ordered 2,000 residents to leave. The eruption began after a week of "
        "small earthquakes, scientists at the Hawaiian Volcano Observatory said.",
    ),
    (
        "Lakers beat Celtics in overtime",
        "LOS ANGELES (AP) - LeBron James scored 38 points as the Los Angeles Lakers beat the "
        "Boston Celtics 121-118 in overtime on Sunday. The Lakers won their fifth straight game "
        "of the basketball season, and coach Darvin Ham praised his players.",
    ),
]


def test_sections_come_with_the_brief_and_a_rerun_backfills_them(tmp_path: Path) -> None:
    published = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    runner = LocalRunner(workers=1)
    with Store.open(f"sqlite:///{tmp_path / 'news.db'}") as store:
        ids = insert_texts(store, ARTICLES, published)
        try:
            desk = StoryDesk(store, runner)
            desk.run(ids)
            with store.transaction() as repo:
                stories = repo.stories_of(ids)
                filed = repo.story_sections(list(stories.values()))
                for story_id in filed:  # as a store from before revision 0011
                    repo.set_story_section(story_id, None, None)
            desk.run(ids, replace=True)
            with store.transaction(readonly=True) as repo:
                again = repo.story_sections(list(stories.values()))
        finally:
            runner.close()
    volcano, game = (filed[stories[i]] for i in ids)
    assert volcano == ("World", "United States")
    assert game[0] == "Sports"
    assert again == filed
