"""Bad input, one test per class, through the real command line on a real SQLite file: nothing
ends in a traceback, a bad field costs only its item or itself (with one warning line naming
the feed and the item), and the good items of the same file are stored."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
import zstandard
from click.testing import Result
from typer.testing import CliRunner

from newsdesk.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PAGE_GZ = sorted((ROOT / "data" / "sample" / "pages").glob("*.html.gz"))[0]
Run = Callable[..., Result]

BAD_URLS_FEED = """<?xml version="1.0"?>
<rss version="2.0" xml:base="http://example.com:99999/">
<channel><title>Bad Ports</title><link>http://example.com:99999/</link>
<item><title>Good one</title><link>https://news.example/1</link>
<description>The first good item of the feed.</description></item>
<item><title>Port too big</title><link>http://example.com:99999/b</link>
<description>Its link has a port past 65535.</description></item>
<item><title>Bad enclosure</title><link>https://news.example/3</link>
<enclosure url="http://example.com:70000/x.jpg" type="image/jpeg" length="1"/>
<description>Its image enclosure has a bad port.</description></item>
<item><title>Open IPv6</title><link>http://[::1/d</link><description>IPv6.</description></item>
<item><title>Script link</title><link>javascript:alert(1)</link><description>J</description></item>
<item><title>Space host</title><link>http://exa mple.com/e</link><description/></item>
<item><title>Bad IPv4</title><link>http://256.1.1.1/f</link><description>v4.</description></item>
<item><title>Good two</title><link>https://news.example/8</link>
<description>The second good item of the feed.</description></item>
</channel></rss>"""

ATOM_BAD_BASE = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com:99999/">
<title>Base Feed</title>
<entry><title>Relative</title><link href="a.html"/><id>x1</id>
<content type="html">&lt;p&gt;See &lt;a href="more.html"&gt;more&lt;/a&gt; here.&lt;/p&gt;</content>
</entry>
<entry xml:base="https://good.example/"><title>Good base</title><link href="c.html"/><id>x3</id>
<summary>A summary under a good base.</summary></entry>
</feed>"""


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("NEWSDESK_WORKERS", "1")
    monkeypatch.setenv("NEWSDESK_ENRICH", "false")  # briefs and stories have their own tests
    db = str(tmp_path / "bad.db")
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None) -> Result:
        return runner.invoke(cli, ["--db", db, *args], input=input)

    return invoke


def _no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def _stored_titles(run: Run) -> set[str]:
    result = run("export")
    _no_traceback(result)
    return {json.loads(line)["title"] for line in result.stdout.splitlines() if line.strip()}


def _one_liners(warnings: list[str]) -> None:
    for line in warnings:
        assert "\n" not in line and len(line) < 400, line


def test_unparsable_urls_cost_their_field_and_the_feed_is_stored(run: Run, tmp_path: Path) -> None:
    rss = tmp_path / "bad-urls.xml"
    rss.write_text(BAD_URLS_FEED, encoding="utf-8")
    atom = tmp_path / "bad-base.atom"
    atom.write_text(ATOM_BAD_BASE, encoding="utf-8")
    result = run("ingest", str(rss), str(atom), "--json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new"] == 10 and report["failed"] == 0, report
    warnings: list[str] = report["warnings"]
    _one_liners(warnings)
    by_item = {w.split(": dropped ")[0].rpartition(": ")[2]: w for w in warnings if "item" in w}
    assert "dropped link 'http://example.com:99999/b' (not a valid port)" in by_item.get(
        "item 2 'Port too big'", ""
    ), warnings
    assert "enclosure 'http://example.com:70000/x.jpg' (not a valid port)" in (
        by_item.get("item 3 'Bad enclosure'", "")
    ), warnings
    assert "(scheme 'javascript' is not http or https)" in by_item["item 5 'Script link'"]
    assert "(a character not allowed in a host name)" in by_item["item 6 'Space host'"]
    assert "(not a valid IPv4 address)" in by_item["item 7 'Bad IPv4'"]
    assert any(w.startswith(f"{rss}: feed 'Bad Ports': item 2") for w in warnings), warnings
    assert any("feed 'Base Feed': item 1 'Relative'" in w for w in warnings), warnings
    titles = _stored_titles(run)
    assert {"Good one", "Good two", "Good base", "Port too big", "Bad enclosure"} <= titles


def test_a_number_thousands_of_digits_long_is_read(run: Run, tmp_path: Path) -> None:
    huge = "9" * 5000
    feed = tmp_path / "huge.json"
    feed.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Huge", "items": ['
        '{"id": "1", "url": "https://news.example/1", "title": "First",'
        ' "content_text": "The first item of a feed with a huge number."},'
        f'{{"id": {huge}, "url": "https://news.example/2", "title": "Second",'
        f' "content_text": "An item whose id has five thousand digits.", "_n": {huge}}}]}}',
        encoding="utf-8",
    )
    lines = tmp_path / "huge.jsonl"
    lines.write_text(
        f'{{"id": {huge}, "title": "Third", "text": "A record with a huge id.", "n": {huge}}}\n'
        '{"title": "Fourth", "text": "A plain record after it."}\n',
        encoding="utf-8",
    )
    result = run("ingest", str(feed), str(lines), "--json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 4
    assert {"First", "Second", "Third", "Fourth"} <= _stored_titles(run)


def test_deep_nesting_and_references_to_no_character_are_read(run: Run, tmp_path: Path) -> None:
    # Found by the fuzz test: feedparser raised OverflowError on a reference past U+10FFFF,
    # and JSON-LD nested past the stack raised RecursionError out of extraction.
    feed = tmp_path / "refs.xml"
    feed.write_text(
        '<rss version="2.0"><channel><title>Refs</title>'
        "<item><title>Odd &#x" + "f" * 5000 + "; &#99999999999; &#xD800; &#0; refs</title>"
        "<link>https://news.example/r1</link><description>Text.</description></item>"
        "<item><title>Plain</title><link>https://news.example/r2</link>"
        "<description>Broken markup follows <b></description></item><broken",
        encoding="utf-8",
    )
    raw = gzip.decompress(PAGE_GZ.read_bytes())
    page = tmp_path / "deep.html"
    page.write_bytes(
        raw.replace(
            b"</head>", b'<script type="application/ld+json">' + b"[" * 50_000 + b"</script></head>"
        )
    )
    result = run("ingest", str(feed), str(page), "--json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 3
    assert {"Odd \ufffd \ufffd \ufffd \ufffd refs", "Plain"} <= _stored_titles(run)


def test_a_feed_the_parser_itself_trips_on_fails_alone(run: Run, tmp_path: Path) -> None:
    # feedparser raises KeyError('links') when markup sits inside an <image>'s <link>, in its
    # strict and its loose parser alike: that file is lost in one line, the others are stored.
    tripping = tmp_path / "trips.xml"
    tripping.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><image>'
        "<url>https://news.example/i.png</url><link><b>x</b></link></image>"
        "<item><title>Lost</title><link>https://news.example/lost</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    good = tmp_path / "good.xml"
    good.write_text(
        '<rss version="2.0"><channel><title>Good</title><item><title>Kept</title>'
        "<link>https://news.example/kept</link><description>Text.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    result = run("ingest", str(tripping), str(good), "--json")
    _no_traceback(result)
    report = json.loads(result.stdout)
    assert report["new"] == 1 and report["failed"] == 1, report
    assert report["failures"] == [
        {"what": str(tripping), "error": "feed: the parser failed on this document (KeyError)"}
    ]


def test_an_svg_given_as_a_page_fails_in_one_line(run: Run, tmp_path: Path) -> None:
    svg = tmp_path / "picture.html"
    svg.write_text(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        "<title>A circle</title><text>" + "Words drawn in a picture. " * 20 + "</text></svg>",
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress(PAGE_GZ.read_bytes()))
    result = run("ingest", str(svg), str(page), "--json")
    _no_traceback(result)
    report = json.loads(result.stdout)
    assert report["new"] == 1 and report["failed"] == 1, report
    assert report["failures"] == [
        {"what": svg.as_uri(), "error": "extract: the page is an SVG image, not HTML"}
    ]


def test_reprocess_with_enrichment_off_says_so(run: Run) -> None:
    assert os.environ["NEWSDESK_ENRICH"] == "false"
    for args in (("reprocess",), ("story", "split", "1"), ("story", "merge", "1", "2")):
        result = run(*args)
        _no_traceback(result)
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"error: {args[0]}") and "NEWSDESK_ENRICH=false" in lines[0]


def test_compressed_input_is_unpacked_under_the_cap_or_refused(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = gzip.decompress(PAGE_GZ.read_bytes())
    plain = run("extract", "-", input=raw)
    assert plain.exit_code == 0, plain.output
    for packed in (
        PAGE_GZ.read_bytes(),
        zstandard.ZstdCompressor().compress(raw),
        brotli.compress(raw),
    ):
        result = run("extract", "-", input=packed)
        _no_traceback(result)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == json.loads(plain.stdout)
    refused = {
        "binary data": bytes(range(256)) * 64,
        "a PNG image": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "damaged gzip data": b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4,
    }
    for why, data in refused.items():
        result = run("extract", "-", input=data)
        _no_traceback(result)
        assert result.exit_code == 1 and result.stdout == "", result.output
        assert result.stderr.startswith("error: file: stdin: " + why), result.stderr
    monkeypatch.setenv("NEWSDESK_MAX_FILE_BYTES", str(1024 * 1024))
    bomb = gzip.compress(b"<p>" + b"a" * (8 * 1024 * 1024))
    result = run("extract", "-", input=bomb)
    _no_traceback(result)
    assert result.exit_code == 1
    assert "gzip content is over 1048576 bytes" in result.stderr


def test_opml_import_refuses_a_feed_url_with_credentials(run: Run, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Open" xmlUrl="https://news.example/feed"/>'
        '<outline text="Secret" xmlUrl="https://user:hunter2@news.example/private"/>'
        '<outline xmlUrl="https://alice:pw@other.example/rss"/>'
        '<outline text="Also open" xmlUrl="https://other.example/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = run("import-opml", str(opml), "--json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["feeds"] == 2 and data["new"] == 2
    assert data["errors"] == [
        "opml: outline 'Secret': xmlUrl refused, URLs with credentials are refused",
        "opml: outline 'https://***@other.example/rss': xmlUrl refused, "
        "URLs with credentials are refused",
    ]
    exported = run("export-opml").stdout
    assert "hunter2" not in exported and "alice" not in exported
    assert "https://news.example/feed" in exported and "https://other.example/rss" in exported
