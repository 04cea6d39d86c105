"""Local inputs: JSON Lines records, content sniffing and folder scanning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import SourceError
from newsdesk.sources import read_jsonl, scan_paths, sniff
from support.corpus import CORPUS, feed_bytes, feed_rows, needs_corpus


def test_read_jsonl_records_and_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "url": "https://news.example/a",
                "title": "  A\n<b>title</b> ",
                "text": "Body\x00 text\n\nsecond",
                "published": "2011-08-04",
                "source": "Example",
                "lang": "en",
                "id": "ecb-1",
            }
        ),
        "",
        "{broken",
        "[1, 2]",
        json.dumps({"url": "javascript:alert(1)", "title": "No url", "published": "9999-01-01"}),
        json.dumps({"url": "https://x.example/"}),
    ]
    items, errors = read_jsonl("\n".join(lines).encode("utf-8"), origin="file:///tmp/a.jsonl")
    assert len(items) == 2
    first = items[0]
    assert first.title == "A title"
    assert first.text == "Body text\n\nsecond"
    assert first.external_id == "ecb-1"
    assert first.source == "Example"
    assert first.lang == "en"
    assert first.published is not None and first.published.year == 2011
    assert items[1].url is None and items[1].published is None and items[1].source == "local"
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "warning", "line 6"]
    assert errors[2] == (
        "warning: line 5: dropped url 'javascript:alert(1)' "
        "(scheme 'javascript' is not http or https)"
    )


@needs_corpus
def test_read_jsonl_on_the_stories_corpus() -> None:
    data = (CORPUS / "stories" / "ecbplus_articles.jsonl").read_bytes()
    items, errors = read_jsonl(data, origin="corpus")
    assert len(items) + len(errors) == 982
    assert len(items) >= 978
    assert sum(1 for i in items if i.url) >= 500


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', None, "feed"),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><feed xmlns="x"/>', None, "feed"),
        (b'<rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>', None, "feed"),
        (b'<?xml version="1.0"?><opml version="1.0"><body/></opml>', "x.xml", "opml"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "feed.xml", "html"),
        (b"<html><head></head></html>", None, "html"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', None, "feed"),
        (b'{"title": "a", "text": "b"}\n{"title": "c"}\n', None, "jsonl"),
        (b'{"title": "a", "text": "b"}\n', "a.jsonl", "jsonl"),
        (b"Just a plain story.\n\nWith paragraphs.", None, "text"),
        (b"Plain words", "page.html", "text"),
        ('<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"), None, "feed"),
    ],
)
def test_sniff(data: bytes, name: str | None, kind: str) -> None:
    assert sniff(data, name=name) == kind


def test_sniff_uses_content_type_as_a_hint_only() -> None:
    assert sniff(b"<weird/>", content_type="application/rss+xml") == "feed"
    assert sniff(b"<rss/>", content_type="text/html") == "feed"


@needs_corpus
def test_sniff_real_feeds_and_lists() -> None:
    assert sniff((CORPUS / "opml/netnewswire/Subs.opml").read_bytes()) == "opml"
    assert sniff((CORPUS / "feeds/netnewswire/DaringFireball.json").read_bytes()) == "feed"
    assert sniff((CORPUS / "feeds/netnewswire/html/furbo.html").read_bytes()) == "html"
    assert sniff((CORPUS / "feeds/miniflux/parser/rdf_UTF8.xml").read_bytes()) == "feed"


def test_scan_paths_sorted_recursive_without_hidden(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/2.html", "a/1.html", ".hidden", ".git/config", "a/.skip", "c/d/e.rss"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    single = tmp_path / "b.txt"
    found = list(scan_paths([tmp_path, single]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.html",
        "a/2.html",
        "b.txt",
        "c/d/e.rss",
        "b.txt",
    ]


def test_scan_paths_missing_path_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        list(scan_paths([tmp_path / "nope"]))


def test_scan_paths_does_not_follow_folder_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [p.name for p in scan_paths([tmp_path])] == ["f.txt"]


def _feed_rows() -> list[dict[str, Any]]:
    kinds = ("real-world", "real-world-excerpt", "feed-discovery-html")
    return [r for r in feed_rows() if r["kind"] in kinds]


FEED_ROWS = _feed_rows()


@needs_corpus
@pytest.mark.parametrize("row", FEED_ROWS, ids=[r["path"] for r in FEED_ROWS])
def test_sniff_every_real_feed_and_page(row: dict[str, Any]) -> None:
    data = feed_bytes(row)
    expected = "html" if row["kind"] == "feed-discovery-html" else "feed"
    assert sniff(data) == expected
