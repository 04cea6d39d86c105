"""Ingest end to end on a real SQLite file: nothing lost, duplicates merged, re-runs idle."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.app import App
from newsdesk.config import Settings
from newsdesk.models import Item
from newsdesk.pipeline import IngestReport, ItemJob, collect

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
SEED = SAMPLE / "aggregator-page.txt"
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
CHROME = ("Hashtags", "Try Our AI Features", "Comments", "No comments yet", "Related Articles")


def ingest(app: App, *paths: Path, now: datetime = NOW) -> IngestReport:
    batch = collect(list(paths), now)
    report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
    report.failures[:0] = batch.failures
    return report


def test_seed_page_becomes_article_and_cards(app: App) -> None:
    report = ingest(app, SEED)
    assert report.counts["new"] == 3  # main article, Washington Post card, CNN card
    assert report.counts["duplicate"] == 1  # the second CNN card
    with app.store.transaction() as repo:
        articles = [a for a, _ in repo.iter_articles()]
    main = articles[0]
    assert main.title == "Ukraine and Russia agree on further prisoner swap after brief talks"
    assert main.text.endswith("but the two sides remain far apart on core issues.")
    assert not any(label in main.text for label in CHROME)
    by_source = {a.source: a for a in articles[1:]}
    assert set(by_source) == {"The Washington Post", "CNN"}
    wapo = by_source["The Washington Post"]
    assert wapo.published is None  # "31 minutes ago" on a page with no capture stamp: unknown
    cnn = by_source["CNN"]
    assert len(cnn.sightings) == 2
    assert {s.source for s in cnn.sightings} == {"CNN"}


def test_card_times_count_from_the_page_capture_stamp(app: App, tmp_path: Path) -> None:
    captured = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    page = tmp_path / "captured.txt"
    stamp = "Captured: 2025-06-02 09:00 UTC\n"
    page.write_text(stamp + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    ingest(app, page, now=NOW + timedelta(days=30))  # read a month later: no difference
    with app.store.transaction() as repo:
        articles = [a for a, _ in repo.iter_articles()]
    wapo = next(a for a in articles if a.source == "The Washington Post")
    assert wapo.published == captured - timedelta(minutes=31) and wapo.published_approx
    assert articles[0].published is None and not articles[0].published_approx


def test_reingest_changes_nothing(app: App) -> None:
    ingest(app, SEED)
    with app.store.transaction() as repo:
        before = repo.stats()
    again = ingest(app, SEED, now=NOW + timedelta(hours=5))
    assert again.counts["unchanged"] == 4
    assert again.counts["new"] == again.counts["duplicate"] == 0
    with app.store.transaction() as repo:
        assert repo.stats() == before


def test_jsonl_keeps_external_id_and_merges_syndicated_copy(app: App, tmp_path: Path) -> None:
    text = " ".join(
        f"Sentence {i} of the wire story about the harbour bridge repairs." for i in range(40)
    )
    rows = [
        {
            "id": "wire-1",
            "url": "https://a.example/story?utm_source=x",
            "title": "Bridge repairs",
            "text": text,
            "published": "2025-05-01T10:00:00Z",
            "source": "Wire A",
            "lang": "en",
        },
        {
            "id": "copy-9",
            "url": "https://b.example/news/bridge",
            "title": "Harbour bridge to close",
            "text": text + " This story was first published by Wire A.",
            "published": "2025-05-01",
            "source": "Paper B",
            "lang": "en",
        },
        {
            "id": "same-url",
            "url": "https://a.example/story#comments",
            "title": "Bridge repairs",
            "text": "short teaser",
            "source": "Aggregator C",
            "lang": "en",
        },
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = ingest(app, path)
    assert report.counts["new"] == 1
    assert report.counts["near-duplicate"] == 1
    assert report.counts["duplicate"] == 1
    with app.store.transaction() as repo:
        exported = list(repo.iter_articles())
    canonical, dup_of = exported[0]
    assert dup_of is None and canonical.external_id == "wire-1"
    assert [s.source for s in canonical.sightings] == ["Wire A", "Paper B", "Aggregator C"]
    copy, copy_of = exported[1]
    assert copy_of == canonical.id and copy.external_id == "copy-9"
    assert "first published by Wire A" in copy.text  # the duplicate keeps its own text


def test_crash_mid_batch_loses_nothing_and_rerun_completes(app: App) -> None:
    items = [
        Item(url=f"https://n.example/{i}", source="N", title=f"Story {i}", text=f"Body {i} " * 50)
        for i in range(6)
    ]
    jobs = [ItemJob(item, seen_at=NOW) for item in items]
    seen = 0

    def crash_after_three(_: object) -> None:
        nonlocal seen
        seen += 1
        if seen == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        app.ingestor.run(jobs, size=len(jobs), progress=crash_after_three)
    with app.store.transaction() as repo:
        stored = repo.stats().articles
    # every item reported done is stored: progress follows the commit of its batch
    assert 3 <= stored <= len(jobs)
    report = app.ingestor.run(jobs, size=len(jobs))
    assert report.counts["unchanged"] == stored and report.counts["new"] == len(jobs) - stored


def test_bad_files_are_reported_and_store_intact(app: App, tmp_path: Path) -> None:
    ingest(app, SEED)
    with app.store.transaction() as repo:
        before = repo.stats()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.xml").write_bytes(b"<?xml version='1.0'?><rss><channel><item><title>x")
    (bad / "dtd.xml").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<rss><channel><title>&b;</title></channel></rss>"
    )
    (bad / "empty.html").write_bytes(b"<html><body></body></html>")
    (bad / "garbage.gz").write_bytes(b"\x1f\x8b not really gzip")
    (bad / "lines.jsonl").write_text('{"title": "no text"}\nnot json\n', encoding="utf-8")
    report = ingest(app, bad)
    assert report.failures, "each bad file is reported"
    assert all("\n" not in f.error for f in report.failures)
    with app.store.transaction() as repo:
        after = repo.stats()
    assert after.articles >= before.articles and after.sightings >= before.sightings


@pytest.mark.slow
def test_sample_data_ingests(app: App) -> None:
    report = ingest(app, SAMPLE)
    assert report.counts["new"] > 500
    assert report.counts["duplicate"] + report.counts["near-duplicate"] >= 1
    real_failures = [f for f in report.failures if not f.error.startswith("warning")]
    assert len(real_failures) <= 5, real_failures


def test_near_duplicates_found_across_restarts(settings: Settings) -> None:
    from newsdesk.app import build

    words = " ".join(
        f"Paragraph {i} tells how the river flooded the valley town." for i in range(30)
    )
    original = Item(url="https://a.example/flood", source="A", title="Flood", text=words)
    copy = Item(url="https://b.example/flood", source="B", title="Floods", text=words + " More.")
    with build(settings) as first:
        first.ingestor.run([ItemJob(original, seen_at=NOW)], size=1)
    with build(settings) as second:  # a new process would see only what the store kept
        report = second.ingestor.run([ItemJob(copy, seen_at=NOW)], size=1)
        with second.store.transaction() as repo:
            canonical = repo.get_article(report.article_ids[0])
    assert report.counts["near-duplicate"] == 1
    assert [s.source for s in canonical.sightings] == ["A", "B"]
