"""A run stopped between storing articles and enriching them (kill -9) leaves articles with no
brief, story or vector; running the same ingest again, or the next poll, completes them.

The stopped run is made by the real code: articles stored with enrichment off are exactly what
the store holds when the process dies after the store's commit and before enrichment's."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from localserver import loopback_settings, reply, rss, running_server
from newsdesk.app import App, build
from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.pipeline import IngestReport, collect

SEED = Path(__file__).resolve().parents[2] / "data" / "sample" / "aggregator-page.txt"


def ingest(app: App, path: Path) -> IngestReport:
    batch = collect([path], utcnow())
    return app.ingestor.run(batch.jobs, size=len(batch.jobs))


def assert_complete(app: App, ids: list[int]) -> None:
    with app.store.transaction(readonly=True) as repo:
        assert repo.unfinished_among(ids) == []
        assert all(repo.get_brief(article_id=i) is not None for i in ids)
        assert all(repo.story_of(i) is not None for i in ids)
        assert set(repo.get_vectors(ids)) == set(ids)


def test_ingesting_again_completes_bare_articles(tmp_path: Path) -> None:
    settings = loopback_settings(db=str(tmp_path / "news.db"))  # enrichment off: the stop
    with build(settings) as stopped:
        first = ingest(stopped, SEED)
        ids, seen = first.new_ids, len(first.article_ids)
        with stopped.store.transaction(readonly=True) as repo:
            assert len(ids) == 3 and repo.unfinished_among(ids) == ids
    with build(settings.with_(enrich=True)) as app:
        again = ingest(app, SEED)
        assert again.counts["unchanged"] == seen and not again.failures
        assert_complete(app, ids)
        assert ingest(app, SEED).counts["unchanged"] == seen  # a third run has nothing to do


def test_the_next_poll_completes_bare_articles(tmp_path: Path) -> None:
    settings: Settings = loopback_settings(db=str(tmp_path / "news.db"), fetch_articles=False)
    with running_server() as server:
        body = rss(server, "resumed")
        server.routes["/feed.xml"] = lambda h: reply(h, 200, body, {"Content-Type": "text/xml"})
        with build(settings) as stopped:
            with stopped.store.transaction() as repo:
                source = repo.upsert_source(server.url("/feed.xml"), kind="feed")
            ids = stopped.poller.poll(source, utcnow()).report.new_ids
        with build(settings.with_(enrich=True)) as app:
            with app.store.transaction(readonly=True) as repo:
                assert len(ids) == 3 and repo.unfinished_among(ids) == ids
                source = repo.get_source(source.id)
            result = app.poller.poll(source, utcnow())
            assert result.error is None and result.report.counts["unchanged"] == 3
            assert_complete(app, ids)


def test_reprocess_completes_bare_articles(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    env = {"NEWSDESK_WORKERS": "1"}
    stopped = CliRunner().invoke(
        cli, ["--db", str(db), "ingest", str(SEED)], env=env | {"NEWSDESK_ENRICH": "false"}
    )
    assert stopped.exit_code == 0, stopped.output
    done = CliRunner().invoke(cli, ["--db", str(db), "reprocess", "--json"], env=env)
    assert done.exit_code == 0, done.output
    with build(loopback_settings(db=str(db))) as app:
        with app.store.transaction(readonly=True) as repo:
            ids = repo.all_canonical_ids()
        assert ids
        assert_complete(app, ids)
