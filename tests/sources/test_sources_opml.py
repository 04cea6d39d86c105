"""OPML lists: the corpus (well-formed and Plenary's mess), round trips, hostile lists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsdesk.errors import OpmlError
from newsdesk.models import FeedRef
from newsdesk.sources import export_opml, parse_opml
from support.corpus import CORPUS, needs_corpus

OPML = CORPUS / "opml"


def _index() -> list[dict[str, Any]]:
    path = OPML / "index.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


ROWS = _index()


@needs_corpus
@pytest.mark.parametrize("row", ROWS, ids=[r["path"] for r in ROWS])
def test_corpus_list_gives_its_feed_count(row: dict[str, Any]) -> None:
    result = parse_opml((OPML / row["path"]).read_bytes())
    assert len(result.feeds) == row["n_xmlUrl"]
    assert all(f.xml_url.startswith(("http://", "https://")) for f in result.feeds)
    if row["well_formed"]:
        assert result.errors == ()
    else:
        assert any("not well-formed" in e for e in result.errors)
        # Plenary lists are one folder: every recovered feed keeps that category.
        assert len({f.category for f in result.feeds}) == 1


@needs_corpus
def test_recovered_total_matches_the_index() -> None:
    broken = [r for r in ROWS if not r["well_formed"]]
    got = sum(len(parse_opml((OPML / r["path"]).read_bytes()).feeds) for r in broken)
    assert len(broken) == 40
    assert got == sum(r["n_xmlUrl"] for r in broken)


@needs_corpus
def test_raw_ampersand_in_url_is_kept() -> None:
    result = parse_opml((OPML / "plenary-recommended" / "Android_Development.opml").read_bytes())
    urls = {f.xml_url for f in result.feeds}
    assert "https://us2.campaign-archive.com/feed?u=887caf4f48db76fd91e20a06d&id=4eb677ad19" in urls


@needs_corpus
def test_folders_become_categories_and_title_falls_back_to_text() -> None:
    with_titles = parse_opml((OPML / "netnewswire" / "Subs.opml").read_bytes())
    without = parse_opml((OPML / "netnewswire" / "SubsNoTitleAttributes.opml").read_bytes())
    assert {"Programming", "Macintosh", "Weblogs", "Writers"} <= {
        f.category for f in with_titles.feeds
    }
    assert [f.title for f in without.feeds] == [f.title for f in with_titles.feeds]
    assert all(f.title for f in without.feeds[:20])


@needs_corpus
def test_export_round_trips_a_corpus_list() -> None:
    original = parse_opml((OPML / "netnewswire" / "Subs.opml").read_bytes())
    again = parse_opml(export_opml(original.feeds).encode("utf-8"))
    assert sorted(again.feeds, key=repr) == sorted(original.feeds, key=repr)
    assert again.errors == ()


def test_export_escapes_and_round_trips() -> None:
    feeds = [
        FeedRef(
            "https://a.example/feed?x=1&y=2", 'Tom & "Jerry" 5 < 6', "https://a.example/", "A&B"
        ),
        FeedRef("https://b.example/rss", None, None, None),
        FeedRef("https://c.example/rss", "Ünïcödé ☃", None, "A&B"),
    ]
    text = export_opml(feeds, title="mine & yours")
    assert text.startswith("<?xml")
    result = parse_opml(text.encode("utf-8"))
    assert result.errors == ()
    assert set(result.feeds) == {
        feeds[0],
        FeedRef("https://b.example/rss", "https://b.example/rss", None, None),
        feeds[2],
    }


def test_dtd_with_entities_is_refused() -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<opml version="1.0"><body>
<outline text="&c;" title="&xxe;" xmlUrl="https://ok.example/feed"/>
</body></opml>"""
    with pytest.raises(OpmlError, match="refused a document with a DTD"):
        parse_opml(doc)


def test_plain_doctype_is_ignored() -> None:
    doc = b"""<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://127.0.0.1:9/opml.dtd">
<opml version="1.0"><body><outline text="x" xmlUrl="https://ok.example/feed"/></body></opml>"""
    assert [f.xml_url for f in parse_opml(doc).feeds] == ["https://ok.example/feed"]


def test_unsafe_urls_are_reported_not_kept() -> None:
    doc = b"""<opml version="2.0"><body>
<outline text="bad" xmlUrl="javascript:alert(1)"/>
<outline text="good" xmlUrl="http://good.example/feed"/>
</body></opml>"""
    result = parse_opml(doc)
    assert [f.xml_url for f in result.feeds] == ["http://good.example/feed"]
    assert any("bad" in e for e in result.errors)


@pytest.mark.parametrize(
    "data", [b"", b"<html><body>nothing</body></html>", b"\x00\x01\x02", b"<opml><body/></opml>"]
)
def test_nothing_readable_is_an_opml_error(data: bytes) -> None:
    with pytest.raises(OpmlError, match="opml"):
        parse_opml(data)


def test_regex_fallback_reads_badly_broken_outlines() -> None:
    doc = (
        b'<opml version="1.0"><body><outline text="News" title="News">\n'
        b'<outline text="A "quoted" name" title="A" description="<b>bold</b> & co"'
        b' xmlUrl="https://a.example/rss" type="rss" />\n'
        b'<outline text="B" title="B" description="x < y"'
        b' xmlUrl="https://b.example/rss?x=1&y=2" type="rss" />\n'
        b"</outline></body></opml>"
    )
    result = parse_opml(doc)
    assert {f.xml_url for f in result.feeds} == {
        "https://a.example/rss",
        "https://b.example/rss?x=1&y=2",
    }
    assert {f.category for f in result.feeds} == {"News"}
