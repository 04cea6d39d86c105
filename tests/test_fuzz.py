"""Fuzzing: real feeds, OPML lists and pages from the corpus, mutated (flipped bytes, cuts,
splices of hostile fragments, bad URLs, huge numbers, deep nesting, other encodings, control
characters), through the parsers and through `newsdesk ingest` into a store that already holds
articles. Only newsdesk's own errors may come out, and nothing stored before may change.

Fast and deterministic by default; NEWSDESK_FUZZ_EXAMPLES=2000 (with --timeout 0) searches longer,
NEWSDESK_FUZZ_RANDOM=1 searches elsewhere.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.extract import extract_article, parse_text_page
from newsdesk.pipeline.unpack import unpack
from newsdesk.sources import parse_feed, parse_opml, read_jsonl, sniff
from newsdesk.store import Store
from support.corpus import CORPUS, feed_bytes, feed_rows, iter_pages, needs_corpus

pytestmark = pytest.mark.slow  # generated cases: left out of `make test-fast`
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The same examples on every run, so CI stays deterministic; NEWSDESK_FUZZ_RANDOM=1 explores
    # new ones (hypothesis prints the seed of a failure: rerun with --hypothesis-seed=N).
    derandomize=not os.environ.get("NEWSDESK_FUZZ_RANDOM"),
    database=None,  # nothing written to a .hypothesis folder
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
MAX_SEED_BYTES = 120_000

# Fragments that broke parsers somewhere: URLs that do not parse, numbers Python will not
# convert, markup and JSON nested past any stack, entities and encodings that lie.
HOSTILE: tuple[bytes, ...] = (
    b"http://example.com:99999/",
    b"http://[::1",
    b"http://[zz]/x",
    b"http://exa mple.com/",
    b"http://256.1.1.1/",
    b"http://xn--/",
    b"http://a%00b.example/",
    b"https://user:secret@example.com/feed",
    b"javascript:alert(1)",
    b"data:text/html,<script>x</script>",
    b'<link href="http://example.com:70000/a"/>',
    b'<enclosure url="http://ex.com:99999/i.jpg" type="image/jpeg" length="1"/>',
    b' xml:base="http://[::1/" ',
    b' xmlUrl="http://[::1/feed" ',
    b'"url": "http://example.com:99999/", ',
    b'"id": ' + b"9" * 5000 + b", ",
    b"9" * 5000,
    b"1e999999",
    b"-" + b"9" * 4400,
    b"[" * 20000,
    b"{" * 5000,
    b"<div>" * 5000,
    b"<outline>" * 3000,
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>',
    b"<math><mi>x</mi></math>",
    b'<script type="application/ld+json">' + b"[" * 5000 + b"</script>",
    b'<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
    + b"9" * 5000
    + b', "headline": {"x": []}, "author": [[[]]], "url": "http://[::1"}</script>',
    b"&#xD800;&#0;&#x110000;&#99999999999;",
    b"&#x" + b"f" * 5000 + b";",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"<![CDATA[",
    b"]]>",
    b"<?xml version='1.0' encoding='utf-32'?>",
    b"<?xml version='1.0' encoding='bogus-charset'?>",
    b'<meta charset="utf-7">+ADw-script+AD4-',
    b"\xff\xfe",
    b"\xfe\xff\x00<",
    b"\xef\xbb\xbf",
    b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc",
    b"\x00\x01\x02\x1b\x1f\x7f",
    b"\r\r\n\n\x0b\x0c\x85",
    b"\xe2\x80\xae\xe2\x80\x8b\xef\xbf\xbe",
    b"\x1f\x8b\x08\x00\x00",
    b"\x28\xb5\x2f\xfd\x00",
    b"<pubDate>Mon, 31 Feb 99999 25:61:61 +9999</pubDate>",
    b'"date_published": "0000-00-00T00:00:00Z", ',
    b"<published>-999999999-01-01T00:00:00Z</published>",
    b"%",
    b"%%%%%%",
)
_URL = re.compile(rb"https?://[^\s\"'<>]+")
_ELEMENT_TEXT = re.compile(rb">([^<>]{1,400})</")
# Values put in place of one value of a JSON document (the placeholders become raw JSON that
# json.dumps cannot write: a number too long to convert, nesting past the stack).
_HUGE, _DEEP = "\x00huge\x00", "\x00deep\x00"
JSON_VALUES: tuple[object, ...] = (
    _HUGE,
    _DEEP,
    "http://example.com:99999/a",
    "http://[::1",
    "javascript:alert(1)",
    "https://user:pw@example.com/feed",
    "\x00\x01\x1f\ud800",
    "x" * 20_000,
    {"url": "http://[zz]/"},
    ["http://a b/"],
    None,
    True,
    -1,
    1e308,
    "9999-99-99T99:99:99Z",
)


@dataclass(frozen=True)
class Seed:
    name: str  # a file name, so the name hint is as real as the bytes
    data: bytes

    def __repr__(self) -> str:
        # Short, so a failing example prints; the bytes are rebuilt from the same draws.
        return f"Seed({self.name!r}, {len(self.data)} bytes, head={self.data[:80]!r})"


@cache
def seeds() -> tuple[Seed, ...]:
    """A few documents of each kind and feed format, small ones, in a fixed order."""
    found: list[Seed] = []
    per_format: dict[str, int] = {}
    for row in sorted(feed_rows(), key=lambda r: (r["kind"] != "real-world", r["path"])):
        if row["bytes"] > MAX_SEED_BYTES or per_format.get(row["format"], 0) >= 3:
            continue
        per_format[row["format"]] = per_format.get(row["format"], 0) + 1
        found.append(Seed(Path(row["path"]).name.removesuffix(".gz"), feed_bytes(row)))
    opml = sorted((CORPUS / "opml").rglob("*.opml"))
    found.extend(Seed(p.name, p.read_bytes()) for p in opml[:: max(1, len(opml) // 8)])
    pages = [(meta, raw) for meta, raw, _ in iter_pages() if len(raw) <= MAX_SEED_BYTES]
    found.extend(Seed(f"{meta['id']}.html", raw) for meta, raw in pages[:: max(1, len(pages) // 8)])
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open("rb") as lines:
        found.append(Seed("articles.jsonl", b"".join(next(lines) for _ in range(4))))
    found.append(
        Seed("aggregator-page.txt", (ROOT / "data/sample/aggregator-page.txt").read_bytes())
    )
    return tuple(found)


# -- mutations ---------------------------------------------------------------------------------

Mutation = Callable[[bytes], bytes]


def _at(data: bytes, where: float) -> int:
    return min(len(data), int(where * len(data)))


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    kind = draw(
        st.sampled_from(
            ["flip", "cut", "splice", "url", "text", "json", "repeat", "encode", "controls"]
        )
    )
    where = draw(st.floats(0, 1))
    if kind == "text":
        piece = draw(st.sampled_from(HOSTILE))
        nth = draw(st.integers(0, 200))

        def swap_text(d: bytes) -> bytes:
            found = list(_ELEMENT_TEXT.finditer(d))
            if not found:
                return d
            m = found[nth % len(found)]
            return d[: m.start(1)] + piece + d[m.end(1) :]

        return swap_text
    if kind == "json":
        value = draw(st.sampled_from(JSON_VALUES))
        nth = draw(st.integers(0, 500))
        return lambda d: _swap_json_value(d, nth, value)
    if kind == "flip":
        mask = draw(st.integers(1, 255))
        return lambda d: (
            d[: _at(d, where)] + bytes([d[_at(d, where)] ^ mask]) + d[_at(d, where) + 1 :]
            if _at(d, where) < len(d)
            else d
        )
    if kind == "cut":
        return lambda d: d[: _at(d, where)]
    if kind == "splice":
        piece = draw(st.sampled_from(HOSTILE) | st.binary(min_size=1, max_size=64))
        return lambda d: d[: _at(d, where)] + piece + d[_at(d, where) :]
    if kind == "url":
        bad = draw(st.sampled_from([h for h in HOSTILE if b"://" in h or h.startswith(b"java")]))
        nth = draw(st.integers(0, 50))

        def swap_url(d: bytes) -> bytes:
            found = list(_URL.finditer(d))
            if not found:
                return d
            m = found[nth % len(found)]
            return d[: m.start()] + bad + d[m.end() :]

        return swap_url
    if kind == "repeat":
        size = draw(st.integers(1, 400))
        times = draw(st.integers(2, 200))
        return lambda d: (
            d[: _at(d, where)]
            + d[_at(d, where) : _at(d, where) + size] * times
            + d[_at(d, where) :]
        )
    if kind == "encode":
        codec = draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"]))

        def reencode(d: bytes) -> bytes:
            text = d.decode("utf-8", errors="replace")
            return text.encode(codec, errors="replace")

        return reencode
    chars = draw(st.binary(min_size=1, max_size=8).map(lambda b: bytes(c % 32 for c in b)))
    return lambda d: d[: _at(d, where)] + chars + d[_at(d, where) :]


def _swap_json_value(data: bytes, nth: int, value: object) -> bytes:
    """The JSON document with its nth value (in walk order) replaced; data if not JSON."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    slots: list[tuple[Any, Any]] = []
    stack: list[Any] = [doc]
    while stack and len(slots) < 5000:
        node = stack.pop()
        keys = range(len(node)) if isinstance(node, list) else list(node)
        for key in keys:
            slots.append((node, key))
            if isinstance(node[key], dict | list):
                stack.append(node[key])
    if not slots:
        return data
    node, key = slots[nth % len(slots)]
    node[key] = value
    text = json.dumps(doc)
    text = text.replace(json.dumps(_HUGE), "9" * 5000)
    text = text.replace(json.dumps(_DEEP), "[" * 3000 + "1" + "]" * 3000)
    return text.encode("utf-8")


@st.composite
def documents(draw: st.DrawFn) -> Seed:
    seed = draw(st.sampled_from(seeds()))
    data = seed.data
    for mutate in draw(st.lists(mutations(), min_size=1, max_size=4)):
        data = mutate(data)
    name = draw(st.sampled_from([seed.name, seed.name, "noname", "x.xml", "x.json", "x.html"]))
    return Seed(name, data)


# -- the parsers -------------------------------------------------------------------------------


def _parse_all(doc: Seed) -> None:
    """Everything a document may be read as, whatever sniff says: only NewsdeskError may leave."""
    data = unpack(doc.data, doc.name, 50 * 1024 * 1024)
    kind = sniff(data, name=doc.name)
    readers: dict[str, Callable[[], Any]] = {
        "feed": lambda: parse_feed(data, url="https://feeds.example/feed.xml"),
        "opml": lambda: parse_opml(data),
        "jsonl": lambda: read_jsonl(data, origin="file:///fuzz.jsonl"),
        "html": lambda: extract_article(data, "https://news.example/a/1"),
        "text": lambda: parse_text_page(data.decode("utf-8", errors="replace"), now=NOW),
    }
    for name in [kind, *(k for k in ("feed", "opml", "jsonl") if k != kind)]:
        with contextlib.suppress(NewsdeskError):
            readers[name]()


@needs_corpus
@FUZZ
@given(doc=documents())
def test_parsers_raise_only_newsdesk_errors(doc: Seed) -> None:
    with contextlib.suppress(NewsdeskError):
        _parse_all(doc)


# -- the pipeline, into a store that holds articles ------------------------------------------


def _snapshot(db: str) -> tuple[dict[int, tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Every stored article's content, and every sighting: what must survive any ingest."""
    store = Store.open(Settings(db=db).db_url)
    try:
        articles: dict[int, tuple[Any, ...]] = {}
        sightings: set[tuple[Any, ...]] = set()
        with store.transaction(readonly=True) as repo:
            for article, duplicate_of in repo.iter_articles():
                articles[article.id] = (
                    article.title,
                    article.text,
                    article.url,
                    article.canonical_url,
                    article.source,
                    article.published,
                    article.lang,
                    duplicate_of,
                )
                sightings.update((article.id, s.ref, s.url) for s in article.sightings)
        return articles, sightings
    finally:
        store.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CliRunner, str, Path]]:
    """A store that already holds articles from a page, a feed and a text page."""
    folder = tmp_path_factory.mktemp("fuzz")
    db = str(folder / "fuzz.db")
    runner = CliRunner()
    env = {"NEWSDESK_WORKERS": "1", "NEWSDESK_ENRICH": "false"}
    first = [s for s in seeds() if s.name.endswith((".html", ".txt", ".json"))][:4]
    first += [s for s in seeds() if s.name.endswith(".xml")][:3]
    paths = []
    for seed in first:
        path = folder / f"seed-{len(paths)}-{seed.name}"
        path.write_bytes(seed.data)
        paths.append(str(path))
    result = runner.invoke(cli, ["--db", db, "ingest", *paths, "--json"], env=env)
    assert result.exception is None, result.output
    assert json.loads(result.stdout)["new"] > 10
    yield runner, db, folder


@pytest.mark.slow
@needs_corpus
@FUZZ
@given(doc=documents(), suffix=st.sampled_from(["", ".gz"]))
def test_ingest_keeps_what_was_stored(
    filled: tuple[CliRunner, str, Path], doc: Seed, suffix: str
) -> None:
    runner, db, folder = filled
    before, seen_before = _snapshot(db)
    path = folder / "input" / (doc.name + suffix)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(gzip.compress(doc.data) if suffix else doc.data)
    env = {"NEWSDESK_WORKERS": "1", "NEWSDESK_ENRICH": "false"}
    result = runner.invoke(cli, ["--db", db, "ingest", str(path), "--json"], env=env)
    path.unlink()
    # handles_errors turns a NewsdeskError into exit code 1; anything else is left in exception.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert result.exit_code in (0, 1), result.output
    after, seen_after = _snapshot(db)
    assert {k: after.get(k) for k in before} == before
    assert seen_before <= seen_after
