"""The command line, run in-process on a real SQLite file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sample" / "aggregator-page.txt"
PAGE = sorted((ROOT / "data" / "sample" / "pages").glob("*.gz"))[0]
COMMANDS = [
    "init",
    "add",
    "import-opml",
    "export-opml",
    "poll",
    "ingest",
    "extract",
    "search",
    "show",
    "export",
    "stats",
    "demo",
]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_WORKERS", "1")
    db = str(tmp_path / "cli.db")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", db, *args], input=input)

    return invoke


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command: str) -> None:  # type: ignore[no-untyped-def]
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_ingest_search_show_export_stats(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("ingest", str(SEED), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 3

    hits = json.loads(run("search", "prisoner exchange", "--json").stdout)
    assert hits and hits[0]["title"].startswith("Ukraine and Russia agree")
    assert "[" in hits[0]["snippet"]

    shown = json.loads(run("show", str(hits[0]["id"]), "--json").stdout)
    assert shown["text"].endswith("far apart on core issues.")

    out = tmp_path / "export.jsonl"
    assert run("export", "--format", "jsonl", "-o", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    keys = {
        "id",
        "external_id",
        "url",
        "source",
        "title",
        "byline",
        "published",
        "published_approx",
        "modified",
        "lang",
        "text",
        "duplicate_of",
        "sightings",
    }
    enrichment = {"story_id", "summary", "key_points", "entities", "hashtags", "quotes", "figures"}
    assert all(set(r) == keys | enrichment for r in rows)
    main = rows[0]
    assert main["story_id"] is not None and "#Ukraine" in main["hashtags"]
    assert {"speaker": "Rustem Umerov"}.items() <= next(
        q for q in main["quotes"] if q["text"].startswith("All key issues")
    ).items()
    assert set(main["entities"][0]) == {"text", "type", "canonical", "start", "end"}
    assert set(main["figures"][0]) == {"value", "unit", "what"}
    cnn = [r for r in rows if r["source"] == "CNN"]
    assert len(cnn) == 1 and len(cnn[0]["sightings"]) == 2
    assert set(cnn[0]["sightings"][0]) == {"source", "url", "title", "seen_at"}

    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == 3 and stats["sightings"] == 4


def test_extract_prints_article_json(run) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", str(PAGE))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] and len(data["text"]) > 200


def test_extract_from_stdin(run) -> None:  # type: ignore[no-untyped-def]
    result = run("extract", "-", input=SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"].startswith("Ukraine and Russia")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "999"), "999"),
        (("extract", "no-such-file.html"), "no-such-file.html"),
        (("add", "http://127.0.0.1:9/feed"), "127.0.0.1"),
        (("add", "http://2130706433/"), "2130706433"),
        (("add", "javascript:alert(1)"), "javascript"),
        (("import-opml", "missing.opml"), "missing.opml"),
    ],
)
def test_bad_input_is_one_clear_line(run, args: tuple[str, ...], needle: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert needle in lines[0]


@pytest.mark.parametrize("query", ['"', "*", "AND OR NOT", "-x", "(", "'; DROP TABLE articles; --"])
def test_hostile_search_never_fails(run, query: str) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(SEED))
    result = run("search", "--json", "--", query)
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_opml_import_export_round_trip(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opml = ROOT / "data" / "sample" / "opml" / "DefaultFeeds.opml"
    result = run("import-opml", str(opml), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 10
    again = json.loads(run("import-opml", str(opml), "--json").stdout)
    assert again["new"] == 0
    out = tmp_path / "out.opml"
    assert run("export-opml", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").count("xmlUrl=") == 10


def test_add_feed_and_page_from_a_local_server(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from http.server import BaseHTTPRequestHandler

    from localserver import reply, running_server

    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("NEWSDESK_PER_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSDESK_FETCH_ARTICLES", "false")
    page = gzip.decompress(PAGE.read_bytes())
    with running_server() as server:
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
            f"<item><title>Hello</title><link>{server.url('/a')}</link>"
            "<description>A short item.</description></item></channel></rss>"
        ).encode()
        link = f'<link rel="alternate" type="application/rss+xml" href="{server.url("/feed")}">'
        page_with_link = page.replace(b"</head>", link.encode() + b"</head>", 1)

        def serve(body: bytes, kind: str):  # type: ignore[no-untyped-def]
            def route(h: BaseHTTPRequestHandler) -> None:
                reply(h, 200, body, {"Content-Type": kind})

            return route

        server.routes["/feed"] = serve(feed, "application/rss+xml")
        server.routes["/article"] = serve(page_with_link, "text/html; charset=utf-8")
        fed = run("add", server.url("/feed"), "--json")
        assert fed.exit_code == 0, fed.output
        assert json.loads(fed.stdout)["new"] == 1
        paged = run("add", server.url("/article"), "--json")
        assert paged.exit_code == 0, paged.output
        data = json.loads(paged.stdout)
        assert data["new"] == 1 and server.url("/feed") in data["note"]
    sources = json.loads(run("stats", "--json").stdout)
    assert sources["sources"] == 1 and sources["articles"] == 2


def test_story_commands(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("ingest", str(SEED)).exit_code == 0
    listed = json.loads(run("stories", "--json").stdout)
    assert listed and {"id", "title", "articles", "sources"} <= set(listed[0])
    main_story = next(s for s in listed if s["title"].startswith("Ukraine and Russia"))

    story = json.loads(run("story", str(main_story["id"]), "--json").stdout)
    assert story["brief"]["summary"] and story["coverage"]["items"][0]["why"]
    # The seed page has no capture stamp: its story is undated, not "updated just now".
    assert main_story["last_seen"] is None and story["last_seen"] is None
    assert "undated" in run("story", str(main_story["id"])).stdout
    brief = json.loads(run("brief", "1", "--json").stdout)
    assert any(w["name"] == "Andriy Yermak" for w in brief["who"])

    related = json.loads(run("related", "1", "--json").stdout)
    assert all(r["id"] != 1 for r in related)
    assert len({(r["source"], r["title"]) for r in related}) == len(related)

    found = json.loads(run("ask", "Where did the delegations meet?", "--json").stdout)
    assert found["found"] and found["lines"][0]["cites"]
    missing = json.loads(run("ask", "What did the zebra eat at the zoo?", "--json").stdout)
    assert missing["found"] is False and missing["text"] == "not found in the coverage"

    enriched = json.loads(run("enrich", str(SEED)).stdout)
    assert "#Ukraine" in enriched["hashtags"]
    redone = json.loads(run("reprocess", "--json").stdout)
    assert redone == {"articles": 3, "stories": redone["stories"], "failed": 0}

    assert run("story", "merge", "2", "3").exit_code == 0
    merged = json.loads(run("story", "3", "--json").stdout)
    assert merged["id"] == 2 and len(merged["coverage"]["items"]) == 2
    assert run("story", "split", "3").exit_code == 0
    assert json.loads(run("story", "3", "--json").stdout)["id"] == 3
