"""Stories and briefs through the pipeline, on a real store with the real models."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.app import App, build
from newsdesk.config import Settings
from newsdesk.pipeline import IngestReport, collect
from newsdesk.related import related_articles

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sample" / "aggregator-page.txt"
ECB = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def story_app(settings: Settings) -> Iterator[App]:
    with build(settings.with_(enrich=True)) as built:
        yield built


def ingest(app: App, *paths: Path, now: datetime = NOW) -> IngestReport:
    batch = collect(list(paths), now)
    return app.ingestor.run(batch.jobs, size=len(batch.jobs))


def ecb_subset(tmp_path: Path, events: int = 4) -> tuple[Path, dict[str, str]]:
    """The articles of a few ECB+ events (two topics: hard negatives) as a JSONL file."""
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]
    by_topic = Counter(r["id"].split("_")[0] for r in rows)
    topics = sorted(t for t, n in by_topic.items() if n >= 8)[: events // 2 + 1]
    chosen = [r for r in rows if r["id"].split("_")[0] in topics][:40]
    path = tmp_path / "ecb.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in chosen) + "\n", encoding="utf-8")
    gold = {r["url"]: r["id"].split("_")[0] for r in chosen}
    return path, gold


def test_seed_gets_brief_story_and_clean_related(story_app: App) -> None:
    report = ingest(story_app, SEED)
    assert report.counts["new"] == 3 and not report.failures
    with story_app.store.transaction() as repo:
        main_id = report.new_ids[0]
        brief = repo.get_brief(article_id=main_id)
        assert brief is not None
        names = {w.name for w in brief.who}
        assert {"Rustem Umerov", "Vladimir Medinsky", "Istanbul"} <= names
        speakers = {q.text[:40]: q.speaker for q in brief.quotes}
        assert speakers["All key issues can only be resolved at t"] == "Rustem Umerov"
        assert {"#Ukraine", "#Russia"} <= set(brief.hashtags)
        assert all(c.sentence < len(brief.sentences) for line in brief.summary for c in line.cites)
        story = repo.story_of(main_id)
        assert story is not None and repo.get_brief(story_id=story) is not None
        related = related_articles(repo, main_id, NOW + timedelta(hours=1))
    ids = [r.article_id for r in related]
    assert main_id not in ids and len(ids) == len(set(ids))
    titles = [r.title for r in related]
    assert len(titles) == len(set(titles)), "the same story never shows twice"
    # The seed's cards carry no capture stamp: undated, never their ingest time as "ago".
    assert all(r.when == ("undated" if r.published is None else r.when) for r in related)
    assert all(r.when.endswith("ago") or r.when == "just now" for r in related if r.published)


@pytest.mark.slow
def test_story_ids_are_stable_and_reruns_change_nothing(story_app: App, tmp_path: Path) -> None:
    path, _ = ecb_subset(tmp_path)
    ingest(story_app, path)
    with story_app.store.transaction() as repo:
        before = {a: repo.story_of(a) for a in repo.all_canonical_ids()}
    again = ingest(story_app, path)
    assert again.counts["new"] == 0
    story_app.desk.run(list(before), replace=True)  # type: ignore[union-attr]
    with story_app.store.transaction() as repo:
        after = {a: repo.story_of(a) for a in repo.all_canonical_ids()}
    assert after == before


@pytest.mark.slow
def test_split_and_merge_by_hand_survive_reprocess(story_app: App, tmp_path: Path) -> None:
    path, _ = ecb_subset(tmp_path)
    ingest(story_app, path)
    desk = story_app.desk
    assert desk is not None
    with story_app.store.transaction() as repo:
        sizes = Counter(repo.story_of(a) for a in repo.all_canonical_ids())
    big, size = sizes.most_common(1)[0]
    assert big is not None and size >= 3
    with story_app.store.transaction() as repo:
        members = [m.id for m in repo.story_members(big)]
    moved = [m for m in members if m != big][:1]
    new_id = desk.split(moved)
    desk.run(members, replace=True)
    with story_app.store.transaction() as repo:
        assert repo.story_of(moved[0]) == new_id
        link = repo.story_link(moved[0])
        assert link is not None and link.pinned
    kept = desk.merge([big, new_id])
    desk.run(members, replace=True)
    with story_app.store.transaction() as repo:
        assert kept == min(big, new_id)
        assert repo.story_of(moved[0]) == kept
        assert repo.resolve_story_id(max(big, new_id)) == kept


def test_llm_rewrites_story_summary_keeping_citations(settings: Settings) -> None:
    from http.server import BaseHTTPRequestHandler

    from localserver import reply, running_server

    asked: list[dict[str, object]] = []

    def chat(h: BaseHTTPRequestHandler) -> None:
        asked.append(json.loads(h.rfile.read(int(h.headers["Content-Length"]))))
        text = "Ukraine and Russia agreed in Istanbul to swap more prisoners [1]."
        answer = {"choices": [{"message": {"role": "assistant", "content": text}}]}
        reply(h, 200, json.dumps(answer).encode(), {"Content-Type": "application/json"})

    with running_server() as server:
        server.routes["/v1/chat/completions"] = chat
        llm_settings = settings.with_(
            enrich=True, llm_base_url=server.url("/v1"), llm_model="local-model"
        )
        with build(llm_settings) as app:
            report = ingest(app, SEED)
            with app.store.transaction() as repo:
                story = repo.story_of(report.new_ids[0])
                assert story is not None
                brief = repo.get_brief(story_id=story)
    assert asked and asked[0]["model"] == "local-model"
    assert brief is not None and brief.summary[0].text.startswith("Ukraine and Russia agreed")
    assert brief.summary[0].cites and all(c.article_id for c in brief.summary[0].cites)


def test_items_without_text_never_share_a_story(story_app: App, tmp_path: Path) -> None:
    """A feed of "Item 1", "Item 2", ... (titles from one template, no text) gives one story
    per item, and a later run's item joins none of them (the rule holds after a reload)."""

    def feed(numbers: range) -> Path:
        items = "".join(
            f"<item><title>Item {i}</title><link>https://items.example/{i}</link></item>"
            for i in numbers
        )
        path = tmp_path / f"items-{numbers.start}.xml"
        path.write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Items</title>{items}'
            "</channel></rss>",
            encoding="utf-8",
        )
        return path

    first = ingest(story_app, feed(range(1, 21)))
    assert first.counts["new"] == 20 and not first.failures
    with build(story_app.settings) as later:  # a fresh process: the index is loaded from the store
        second = ingest(later, feed(range(21, 23)))
        ids = first.new_ids + second.new_ids
        with later.store.transaction() as repo:
            stories = [repo.story_of(a) for a in ids]
            assert None not in stories
            assert len(set(stories)) == len(ids)  # nobody joined anybody
            assert all(repo.story_link(a).reason.startswith("too little text") for a in ids)


def test_regroup_is_stored_and_spares_a_split_by_hand(story_app: App, tmp_path: Path) -> None:
    """After each run the desk re-places small stories (StoryIndex.regroup): the store holds
    what the index holds, and a story an editor split off is never moved back by a later run."""
    path, _ = ecb_subset(tmp_path)
    rows = path.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(rows[: len(rows) // 2]) + "\n", encoding="utf-8")
    second.write_text("\n".join(rows[len(rows) // 2 :]) + "\n", encoding="utf-8")
    ingest(story_app, first)
    desk = story_app.desk
    assert desk is not None
    with story_app.store.transaction() as repo:
        sizes = Counter(repo.story_of(a) for a in repo.all_canonical_ids())
        big = sizes.most_common(1)[0][0]
        assert big is not None
        moved = [m.id for m in repo.story_members(big) if m.id != big][:1]
    split_id = desk.split(moved)
    ingest(story_app, second)
    index = desk.index_for("en")
    with story_app.store.transaction() as repo:
        assert repo.story_of(moved[0]) == split_id
        for story_id in index.story_ids():
            stored = repo.get_story(story_id)
            assert stored.id == story_id
            assert stored.size == index.get(story_id).size == len(repo.story_members(story_id))
