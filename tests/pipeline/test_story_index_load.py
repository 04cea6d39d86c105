"""The story index loads from what the store holds, including a story stored without a centroid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsdesk.dates import utcnow
from newsdesk.pipeline.enrich import StoryDesk
from newsdesk.pipeline.runner import LocalRunner
from newsdesk.store import Store, StoryRow


def test_a_story_without_a_centroid_keeps_its_place_but_is_not_indexed(tmp_path: Path) -> None:
    now = utcnow()
    unit = np.zeros(384, dtype=np.float32)
    unit[0] = 1.0
    with Store.open(f"sqlite:///{tmp_path / 'news.db'}") as store:
        with store.transaction() as repo:
            repo.upsert_story(StoryRow(id=1, title="No centroid", size=1, last_seen=now))
            repo.upsert_story(StoryRow(id=2, title="Indexed", centroid=unit, size=1, last_seen=now))
        runner = LocalRunner(workers=1)
        try:
            desk = StoryDesk(store, runner)
            desk.load(now)
        finally:
            runner.close()
    index = desk.index_for("en")
    assert 2 in index and 1 not in index
