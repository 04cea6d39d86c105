"""`newsdesk failures` and `failures retry`, in-process on a real SQLite file, with the items'
pages on a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from localserver import LocalServer, reply, running_server
from newsdesk.cli import cli
from newsdesk.models import Item
from newsdesk.pipeline.job_codec import dump_job
from newsdesk.pipeline.prepare import ItemJob
from newsdesk.store import Store

PAGES = sorted((Path(__file__).resolve().parents[1] / "data" / "sample" / "pages").glob("*.gz"))
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


class Desk:
    """The CLI on one database, and the store behind it for seeding and checking."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(cli, ["--db", str(self.db), *args])

    def store(self) -> Store:
        return Store.open(f"sqlite:///{self.db}")

    def fail(self, source_url: str, url: str, attempts: int, reason: str = "HTTP 503") -> int:
        job = ItemJob(Item(url=url, source="Local News", title="T", summary="Teaser."), NOW)
        with self.store() as store, store.transaction() as repo:
            source = repo.upsert_source(source_url, title="Local News")
            for _ in range(attempts):
                repo.record_failure(
                    source_id=source.id, url=url, payload=dump_job(job), reason=reason
                )
            return next(f.id for f in repo.failed_items() if f.url == url)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Desk:
    for name, value in {
        "WORKERS": "1",
        "ENRICH": "0",
        "ALLOW_PRIVATE_NETWORKS": "1",
        "PER_HOST_DELAY": "0",
        "RETRIES": "0",
        "TOTAL_TIMEOUT": "5",
    }.items():
        monkeypatch.setenv(f"NEWSDESK_{name}", value)
    monkeypatch.delenv("NEWSDESK_BROKER_URL", raising=False)
    return Desk(tmp_path / "cli.db")


def _page(server: LocalServer, path: str, n: int) -> None:
    html = gzip.decompress(PAGES[n].read_bytes())
    server.routes[path] = lambda h: reply(h, 200, html, {"Content-Type": "text/html"})


def test_no_failed_items_says_so(desk: Desk) -> None:
    result = desk("failures")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no failed items"


def test_lists_held_back_items_and_counts_the_others(desk: Desk) -> None:
    desk.fail("https://one.example/feed", "https://one.example/a", 3, "extract: no main text")
    desk.fail("https://two.example/feed", "https://two.example/b", 4)
    desk.fail("https://two.example/feed", "https://two.example/c", 1)

    result = desk("failures")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "https://two.example/b" in out and "https://one.example/a" in out
    assert out.index("two.example/b") < out.index("one.example/a")  # the latest first
    assert "extract: no main text" in out and "3 attempts" in out and "4 attempts" in out
    assert "two.example/c" not in out
    assert "1 more item failed fewer than 3 times and will be tried again" in out

    every = desk("failures", "--all", "--json")
    assert sorted(i["url"][-1] for i in json.loads(every.stdout)) == ["a", "b", "c"]

    by_url = json.loads(desk("failures", "--source", "https://one.example/feed", "--json").stdout)
    assert [i["url"] for i in by_url] == ["https://one.example/a"]
    with desk.store() as store, store.transaction() as repo:
        two = repo.get_source("https://two.example/feed").id
    by_id = json.loads(desk("failures", "--source", str(two), "--json").stdout)
    assert [(i["url"], i["attempts"], i["source"]) for i in by_id] == [
        ("https://two.example/b", 4, "Local News")
    ]

    missing = desk("failures", "--source", "nowhere")
    assert missing.exit_code == 1
    assert "no source 'nowhere'" in missing.output and len(missing.output.splitlines()) == 1


def test_retry_stores_the_item_and_clears_its_record(desk: Desk) -> None:
    with running_server() as server:
        _page(server, "/a/1", 0)
        item_id = desk.fail(server.url("/feed.xml"), server.url("/a/1"), 3)
        result = desk("failures", "retry", str(item_id))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"#{item_id} {server.url('/a/1')} stored: new as article 1"
    assert desk("failures").stdout.strip() == "no failed items"
    with desk.store() as store, store.transaction() as repo:
        [(article, _)] = list(repo.iter_articles())
    assert len(article.text.split()) > 50  # the page, fetched again; not the feed's teaser


def test_retry_all_says_what_became_of_each(desk: Desk) -> None:
    with running_server() as server:
        _page(server, "/a/good", 1)
        good = desk.fail(server.url("/feed.xml"), server.url("/a/good"), 3)
        still = desk.fail(server.url("/feed.xml"), server.url("/a/gone"), 3)  # a 404
        desk.fail(server.url("/feed.xml"), server.url("/a/later"), 1)  # not held: not retried
        result = desk("failures", "retry", "--all")
    assert result.exit_code == 1  # one failed again
    assert f"#{good} {server.url('/a/good')} stored: new" in result.stdout
    assert f"failed: #{still} {server.url('/a/gone')} failed again (4 attempts)" in result.stderr
    assert "404" in result.stderr and "the feed's text was kept" in result.stderr
    left = json.loads(desk("failures", "--all", "--json").stdout)
    assert sorted((i["url"].rsplit("/", 1)[1], i["attempts"]) for i in left) == [
        ("gone", 4),
        ("later", 1),
    ]


def test_retry_needs_an_id_or_all_and_a_known_id(desk: Desk) -> None:
    assert desk("failures", "retry").exit_code == 2
    assert desk("failures", "retry", "3", "--all").exit_code == 2
    unknown = desk("failures", "retry", "99")
    assert unknown.exit_code == 1 and "no failed item #99" in unknown.output
    assert desk("failures", "retry", "--all").stdout.strip() == "no failed items to retry"


def test_an_unreadable_job_is_not_retried_and_stays(desk: Desk) -> None:
    with desk.store() as store, store.transaction() as repo:
        source = repo.upsert_source("https://one.example/feed")
        repo.record_failure(
            source_id=source.id, url="https://one.example/a", payload="{", reason="r"
        )
        [item] = repo.failed_items()
    result = desk("failures", "retry", str(item.id))
    assert result.exit_code == 1
    assert "its stored job is unreadable: job: not JSON" in result.stderr
    assert json.loads(desk("failures", "--all", "--json").stdout)[0]["attempts"] == 1
