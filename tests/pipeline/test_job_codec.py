"""Jobs survive the trip through JSON unchanged; text that is not a job is refused in one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.errors import SourceError
from newsdesk.models import Item
from newsdesk.pipeline.job_codec import dump_job, load_job
from newsdesk.pipeline.prepare import ItemJob, PageJob

NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "job",
    [
        PageJob(content=b"<html>\xff\x00 caf\xc3\xa9</html>", url="https://a.example/1",
                seen_at=NOW, source="A News", ref="feed#1", charset="utf-8"),
        PageJob(content="<html>café ☕</html>", url=None, seen_at=NOW, ref="file:///x.html"),
        ItemJob(
            Item(url="https://b.example/2", source="B", title="Title", html="<p>x</p>",
                 text=None, summary="s", lang="en",
                 published=datetime(2026, 2, 1, 8, tzinfo=timezone(timedelta(hours=2))),
                 byline="Ann", external_id="guid-2", source_url="https://b.example/feed",
                 image="https://b.example/i.png", published_approx=True),
            seen_at=NOW, ref="https://b.example/feed#guid-2",
        ),
        ItemJob(Item(url=None, source="C", text="only text"), seen_at=NOW),
    ],
)  # fmt: skip
def test_a_job_comes_back_equal(job: PageJob | ItemJob) -> None:
    text = dump_job(job)
    assert "\n" not in text
    assert load_job(text) == job


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("not json", "not JSON"),
        ("[1]", "not a JSON object"),
        ('{"v": 99, "kind": "page"}', "unknown version"),
        ('{"v": 1, "kind": "song"}', "unknown kind"),
        ('{"v": 1, "kind": "page", "content": "x"}', "seen_at is missing"),
        ('{"v": 1, "kind": "page", "content_b64": "@@", "seen_at": "2026-01-01T00:00:00+00:00"}',
         "not base64"),
        ('{"v": 1, "kind": "item", "item": {"url": null, "source": "s", "evil": 1},'
         ' "seen_at": "2026-01-01T00:00:00+00:00"}', "unknown fields evil"),
        ('{"v": 1, "kind": "item", "item": {"url": null, "source": "s", "published": "soon"},'
         ' "seen_at": "2026-01-01T00:00:00+00:00"}', "not an ISO 8601 time"),
    ],
)  # fmt: skip
def test_text_that_is_not_a_job_is_refused(text: str, why: str) -> None:
    with pytest.raises(SourceError, match=why) as caught:
        load_job(text)
    assert "\n" not in str(caught.value)
