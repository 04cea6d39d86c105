"""Counts agree everywhere: `stats` and `stats --json` give the same numbers, ingest outcomes
are a Status enum with warnings apart from failures, and every count reads "1 article", not
"1 articles"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.humanize import count, plural
from newsdesk.models import Status
from newsdesk.pipeline import IngestReport
from newsdesk.pipeline.ingest import Outcome
from newsdesk.store import Store
from support.synthetic import build_stories


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_WORKERS", "1")
    monkeypatch.setenv("NEWSDESK_ENRICH", "false")
    db = tmp_path / "counts.db"

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    invoke.db = db  # type: ignore[attr-defined]
    return invoke


def _row(table: str, label: str) -> int:
    found = re.search(rf"^\W*{re.escape(label)}\W+(\d+)", table, re.MULTILINE)
    assert found, (label, table)
    return int(found.group(1))


def test_stats_and_stats_json_agree(run) -> None:  # type: ignore[no-untyped-def]
    with Store.open(f"sqlite:///{run.db}") as store, store.transaction() as repo:
        # Two stories: each has one near-duplicate (its own row) and one exact copy (a sighting).
        build_stories(repo, 2, 3, article_briefs=False)
    data = json.loads(run("stats", "--json"))
    table = run("stats")
    assert (data["articles"], data["duplicates"], data["near_duplicates"]) == (6, 4, 2)
    assert _row(table, "articles") == data["articles"]
    assert _row(table, "duplicates merged") == data["duplicates"]
    assert _row(table, "of them near-duplicates, text kept") == data["near_duplicates"]
    assert _row(table, "sightings (places published)") == data["sightings"]


def test_warnings_are_a_list_of_their_own(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "items.jsonl"
    good = {"url": "https://a.example/1", "title": "Bridge vote", "text": "The council met."}
    odd = {"url": "javascript:alert(1)", "title": "Kept, minus its link", "text": "Text here."}
    feed.write_text(json.dumps(good) + "\n" + json.dumps(odd) + "\n", encoding="utf-8")
    report = json.loads(run("ingest", str(feed), "--json"))
    assert report["new"] == 2 and report["failed"] == 0 and report["failures"] == []
    assert len(report["warnings"]) == 1 and "javascript" in report["warnings"][0]


def test_outcome_statuses_are_an_enum() -> None:
    report = IngestReport()
    report.add(Outcome(Status.NEW, 1))
    report.add(Outcome(Status.NEAR_DUPLICATE, 1, 0.9))
    assert report.counts[Status.NEW] == report.counts["new"] == 1
    assert report.merged == 1 and report.new_ids == [1]
    assert {s.value for s in Status} == {
        "new",
        "duplicate",
        "near-duplicate",
        "unchanged",
        "failed",
    }


def test_counts_read_as_people_write_them() -> None:
    assert [count(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert count(1, "story") == "1 story" and count(3, "story") == "3 stories"
    assert plural(1, "source") == "source" and plural(2, "new article") == "new articles"


def test_one_of_a_kind_is_singular_on_every_surface(run) -> None:  # type: ignore[no-untyped-def]
    with Store.open(f"sqlite:///{run.db}") as store, store.transaction() as repo:
        built = build_stories(repo, 1, 1, article_briefs=False)
    line = run("story", str(built.story_ids[0]))
    assert "1 article from 2 sources" in line and "1 articles" not in line
    listed = run("stories")
    assert "1 article," in listed and "1 articles" not in listed
