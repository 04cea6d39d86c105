"""Hostile and broken feeds: DTDs, huge feeds, control characters, absurd dates, scripts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from sources_checks import assert_safe

from newsdesk.errors import FeedError
from newsdesk.sources import parse_feed

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<rss version="2.0"><channel><title>T</title>{}</channel></rss>'
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>&lol4;</title></item>
</channel></rss>"""


def rss(items: str) -> bytes:
    return RSS.format(items).encode("utf-8")


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b'<!ENTITY secret "leaked">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request: a DTD fetch would show up here."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(FeedError, match="refused a document with a DTD"):
        parse_feed(BILLION_LAUGHS)


def test_external_entity_is_refused(dtd_server: tuple[str, list[str]]) -> None:
    base, hits = dtd_server
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{base}/secret">]>'
        '<rss version="2.0"><channel><title>&xxe;</title></channel></rss>'
    ).encode()
    with pytest.raises(FeedError, match="DTD"):
        parse_feed(doc)
    assert hits == []


def test_external_dtd_is_stripped_never_fetched(dtd_server: tuple[str, list[str]]) -> None:
    base, hits = dtd_server
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{base}/evil.dtd">\n'
        '<rss version="2.0"><channel><title>Plain</title><item><title>a</title></item>'
        "</channel></rss>"
    ).encode()
    parsed = parse_feed(doc)
    assert parsed.title == "Plain"
    assert hits == []


def test_entity_in_utf16_document_is_refused() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>'
    with pytest.raises(FeedError, match="DTD"):
        parse_feed(doc.encode("utf-16"))


def test_netscape_rss091_doctype_is_accepted_with_html_entities() -> None:
    doc = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<title>Caf&eacute;</title><item><title>na&iuml;ve</title>"
        b"<link>http://example.com/x</link></item></channel></rss>"
    )
    parsed = parse_feed(doc)
    assert parsed.format == "rss09x"
    assert parsed.title == "Café"
    assert parsed.items[0].title == "naïve"


def test_ten_thousand_items_in_reasonable_time() -> None:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://example.com/{i}</link><guid>g{i}</guid>"
        f"<pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Text {i}&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;"
        "</description></item>"
        for i in range(10_000)
    )
    started = time.perf_counter()
    parsed = parse_feed(rss(items), url="https://example.com/feed")
    elapsed = time.perf_counter() - started
    assert len(parsed.items) == 10_000
    assert parsed.items[-1].summary == "<p>Text 9999</p>"
    assert parsed.warnings == ()
    assert elapsed < 30, f"10,000 items took {elapsed:.1f} s"


def test_items_over_the_cap_are_dropped_with_a_warning() -> None:
    items = "".join(f"<item><title>{i}</title></item>" for i in range(30))
    parsed = parse_feed(rss(items), max_items=10)
    assert len(parsed.items) == 10
    assert any("kept the first 10" in w for w in parsed.warnings)


def test_control_characters_are_removed() -> None:
    doc = rss("<item><title>a\x01b\x1f c</title><description>x\x00y\x7f</description></item>")
    parsed = parse_feed(doc)
    item = parsed.items[0]
    for value in (item.title, item.summary):
        assert value is not None
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value)


@pytest.mark.parametrize(
    "date",
    [
        "<pubDate>Mon, 01 Jan 0000 00:00:00 GMT</pubDate>",
        "<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate>",
        "<pubDate>0000-00-00T00:00:00Z</pubDate>",
        "<pubDate>not a date</pubDate>",
        "<dc:date>9999-12-31T23:59:59Z</dc:date>",
    ],
)
def test_absurd_dates_become_none(date: str) -> None:
    items = f'<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>a</title>{date}</item>'
    assert parse_feed(rss(items)).items[0].published is None


def test_atom_absurd_dates_become_none() -> None:
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>D</title><entry><title>a</title>'
        b"<updated>9999-12-31T00:00:00Z</updated><published>0000-01-01T00:00:00Z</published>"
        b"</entry></feed>"
    )
    assert parse_feed(doc).items[0].published is None


def test_good_date_is_kept_as_aware_utc() -> None:
    parsed = parse_feed(
        rss("<item><title>a</title><pubDate>Mon, 06 Jan 2020 10:00:00 +0100</pubDate></item>")
    )
    published = parsed.items[0].published
    assert published is not None and published.utcoffset() is not None
    assert published.isoformat().startswith("2020-01-06T09:00:00")


SCRIPTED = rss(
    "<link>javascript:alert(1)</link>"
    "<item><title>&lt;script&gt;alert(1)&lt;/script&gt;T</title>"
    "<link>jav&#x09;ascript:alert(1)</link><guid>&lt;script&gt;g&lt;/script&gt;</guid>"
    '<description>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;&lt;img src=x onerror=alert(1)&gt;'
    "&lt;script&gt;alert(2)&lt;/script&gt;</description>"
    '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA['
    "<p onclick='x()'>Body</p><a href='&#106;avascript:alert(1)'>y</a><script>z()</script>"
    "<iframe src='https://evil.example/'></iframe>]]></content:encoded>"
    '<enclosure url="javascript:alert(2)" type="image/png" length="1"/>'
    "<author>a@b.example (&lt;script&gt;x&lt;/script&gt;Bob)</author></item>"
    "<item><title>2</title><link>&amp;#106;avascript:alert(1)</link></item>"
    "<item><title>3</title><link> \x01javascript:alert(1)</link></item>"
    "<item><title>4</title><link>JaVaScRiPt&#x3A;alert(1)</link></item>"
    "<item><title>5</title><link>/relative/path</link></item>"
)


def test_script_and_javascript_links_removed_from_every_field() -> None:
    parsed = parse_feed(SCRIPTED, url="https://example.com/feed.xml")
    assert_safe(parsed)
    first = parsed.items[0]
    assert first.title == "T"
    assert first.url is None
    assert first.image is None
    assert first.html is not None and "Body" in first.html and "onclick" not in first.html
    assert first.byline is not None and "Bob" in first.byline
    assert [i.url for i in parsed.items[2:4]] == [None, None]
    assert parsed.items[-1].url == "https://example.com/relative/path"


def test_wrong_charset_declared_is_recovered() -> None:
    doc = RSS.format("<item><title>\u00c9t\u00e9 caf\u00e9</title></item>").encode("latin-1")
    parsed = parse_feed(doc)
    assert parsed.items[0].title == "Été café"
    assert parsed.warnings  # declared utf-8, read as windows-1252


def test_charset_from_http_header() -> None:
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<title>\u0416\u0443\u0440\u043d\u0430\u043b"
        "</title></channel></rss>"
    ).encode("koi8-r")
    parsed = parse_feed(doc, headers={"Content-Type": "application/rss+xml; charset=koi8-r"})
    assert parsed.title == "Журнал"


def test_lone_surrogate_entities_do_not_crash() -> None:
    doc = rss("<item><title>a&#xD800;b&#55296;c</title><link>http://example.com/</link></item>")
    parsed = parse_feed(doc)
    assert parsed.items[0].title is not None
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in parsed.items[0].title)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html><head><title>x</title></head><body><p>hello</p></body></html>",
        bytes(range(256)) * 8,
        b"just some words, no markup",
    ],
    ids=["empty", "blank", "html", "binary", "text"],
)
def test_not_a_feed_is_a_feed_error(data: bytes) -> None:
    with pytest.raises(FeedError, match="feed:"):
        parse_feed(data)


def test_bozo_feed_keeps_what_it_can_with_a_warning() -> None:
    doc = rss("<item><title>one</title></item><item><title>two &nope; x</title></item>")
    parsed = parse_feed(doc)
    assert [i.title for i in parsed.items][:1] == ["one"]
    assert any("malformed" in w for w in parsed.warnings)


def test_fields_of_a_normal_atom_entry() -> None:
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"
      xml:lang="de" xml:base="https://news.example.org/">
  <title>Example News</title><link href="/" rel="alternate"/>
  <entry>
    <id>tag:example.org,2024:1</id><title type="html">A &amp;amp; B</title>
    <link href="articles/1" rel="alternate"/>
    <published>2024-02-24T11:42:23Z</published>
    <author><name>Jane Doe</name></author><author><name>Max Muster</name></author>
    <summary>Short</summary>
    <content type="html">&lt;p&gt;Full &lt;a href="/x"&gt;text&lt;/a&gt;&lt;/p&gt;</content>
    <media:thumbnail url="https://cdn.example.org/1.jpg"/>
  </entry>
</feed>"""
    parsed = parse_feed(doc, url="https://news.example.org/feed.atom")
    assert parsed.format == "atom10"
    assert parsed.site_url == "https://news.example.org/"
    item = parsed.items[0]
    assert item.url == "https://news.example.org/articles/1"
    assert item.title == "A & B"
    assert item.source == "Example News"
    assert item.byline == "Jane Doe, Max Muster"
    assert item.external_id == "tag:example.org,2024:1"
    assert item.lang == "de"
    assert item.image == "https://cdn.example.org/1.jpg"
    assert item.summary == "Short"
    assert item.html is not None and 'href="https://news.example.org/x"' in item.html
    assert item.published is not None and item.published.year == 2024
    assert item.source_url == "https://news.example.org/feed.atom"


def test_source_falls_back_to_the_feed_host() -> None:
    parsed = parse_feed(
        b'<rss version="2.0"><channel><item><title>a</title></item></channel></rss>',
        url="https://www.example.net/rss",
    )
    assert parsed.items[0].source == "example.net"
