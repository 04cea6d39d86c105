"""One name per publisher: the curated table, cleaned site metadata, the registrable domain."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from newsdesk.extract import extract_article
from newsdesk.models import Item
from newsdesk.pipeline.prepare import Failed, ItemJob, PageJob, Preparer
from newsdesk.publishers import clean_site_name, publisher_name, table_name
from support.corpus import iter_pages, needs_corpus

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "claims", "name"),
    [
        ("https://www.theguardian.com/world/2024/a", ["the Guardian"], "The Guardian"),
        (
            "https://amp.theguardian.com/world/2024/a",
            ["The Guardian | Latest news"],
            "The Guardian",
        ),
        ("https://apnews.com/article/x", ["AP NEWS"], "AP News"),
        ("https://apnews.com/article/y", ["AP News"], "AP News"),
        ("https://financialpost.com/news/x", ["financialpost"], "Financial Post"),
        ("https://edition.cnn.com/2024/x", ["CNN International"], "CNN"),
        ("https://www.bbc.co.uk/news/x", ["BBC"], "BBC News"),
        ("https://www.bbc.com/news/x", [None], "BBC News"),
        ("https://m.nytimes.com/2024/x", [], "The New York Times"),
        ("https://abcnews.go.com/US/x", ["ABC News"], "ABC News"),
    ],
)
def test_curated_table_wins_for_its_domains(url: str, claims: list[str | None], name: str) -> None:
    assert publisher_name(url, claims) == name


@pytest.mark.parametrize(
    "claim",
    ["Daily Example", "DAILY EXAMPLE", "daily example", "Daily Example | Latest news and views",
     "World news | Daily Example", "Daily Example - Sport"],
)  # fmt: skip
def test_site_metadata_is_cleaned_to_one_name(claim: str) -> None:
    assert publisher_name("https://www.dailyexample.org/a/b", [claim]) == "Daily Example"


def test_case_is_kept_unless_all_capitals_or_all_lower() -> None:
    assert clean_site_name("iNews") == "iNews"
    assert clean_site_name("the Daily Example") == "The Daily Example"
    assert clean_site_name("BBC NEWS") == "BBC News"
    assert clean_site_name("WAZ") == "WAZ"
    assert clean_site_name("DER SPIEGEL") == "Der Spiegel"
    assert clean_site_name("日刊ゲンダイDIGITAL") == "日刊ゲンダイDIGITAL"  # no case to mend
    assert clean_site_name("LBCIV7") == "LBCIV7"


def test_a_page_title_or_a_host_is_not_a_site_name() -> None:
    title = "Council approves the new bridge over the river"
    assert publisher_name("https://example.org/x", [title], title=title) == "example.org"
    assert publisher_name("https://news.example.org/x", ["news.example.org"]) == "example.org"
    assert publisher_name("https://www.example.org/x", ["example"]) == "example.org"
    long_claim = "Everything you need to know about the bridge that the council approved today"
    assert publisher_name("https://example.org/x", [long_claim]) == "example.org"


def test_blogs_on_a_shared_host_stay_apart() -> None:
    one = publisher_name("https://joyofsox.blogspot.nl/2008/12/x.html", [])
    other = publisher_name("https://nbasource.blogspot.nl/2008/12/y.html", [])
    assert (one, other) == ("joyofsox.blogspot.nl", "nbasource.blogspot.nl")


def test_without_a_url_the_claim_decides() -> None:
    assert publisher_name(None, ["latimes.com"]) == "Los Angeles Times"
    assert publisher_name(None, ["example.org"]) == "example.org"
    assert publisher_name(None, ["Daily Example"]) == "Daily Example"
    assert publisher_name(None, ["Breaking news, sport and weather headlines - 9News"]) == "9News"
    assert publisher_name(None, ["Washington Post"]) == "The Washington Post"
    assert publisher_name(None, ["AP NEWS"]) == "AP News"
    # With a host the table does not list, the outlet is not the table's namesake.
    assert publisher_name("https://guardian.example.ng/a", ["Guardian"]) == "Guardian"
    assert publisher_name(None, [None, ""]) is None


def test_an_archived_copy_is_named_for_its_original_host() -> None:
    url = "https://web.archive.org/web/20130217080612/http://www.theguardian.com/world/x"
    assert publisher_name(url, ["Internet Archive"]) == "The Guardian"


def test_table_folds_subdomains_only_within_the_registrable_domain() -> None:
    assert table_name("edition.cnn.com") == "CNN"
    assert table_name("espn.go.com") == "ESPN"
    assert table_name("unknown.go.com") is None
    assert table_name("cnn.com.example.org") is None


def test_pages_take_their_name_from_json_ld_when_og_is_missing() -> None:
    html = (
        "<html><head><title>Bridge approved - Daily Example</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge approved",'
        ' "publisher": {"@type": "Organization", "name": "Daily Example"}}</script></head>'
        "<body><article><h1>Bridge approved</h1>"
        + "<p>The council approved the new bridge over the river on Tuesday evening.</p>" * 5
        + "</article></body></html>"
    )
    assert extract_article(html, "https://www.dailyexample.org/a").site_name == "Daily Example"
    done = Preparer()(PageJob(content=html, url="https://www.dailyexample.org/a", seen_at=NOW))
    assert done.article.source == "Daily Example"  # type: ignore[union-attr]


def test_ingest_names_items_and_their_sightings_alike() -> None:
    preparer = Preparer()
    names = set()
    for source in ("theguardian.com", "The Guardian", "the Guardian", "World news | The Guardian"):
        item = Item(url="https://www.theguardian.com/world/x", source=source, title="A", text="B c")
        done = preparer(ItemJob(item, seen_at=NOW))
        names |= {done.article.source, done.sighting.source}  # type: ignore[union-attr]
    assert names == {"The Guardian"}


# The English fundus pages (89, each with a gold publisher name): 63 matched (0.708) with the
# names ingest gave before newsdesk.publishers, 66 (0.742) now; the floor sits just under.
PAGES_FLOOR = 0.73


@pytest.mark.quality
@needs_corpus
def test_corpus_pages_get_their_publishers_name() -> None:
    preparer = Preparer()
    hits = total = 0
    for meta, raw, expected in iter_pages("flairNLP/fundus"):
        if meta["lang"] != "en":
            continue
        done = preparer(PageJob(content=raw, url=meta["url"], seen_at=NOW))
        if isinstance(done, Failed):
            continue
        total += 1
        name = done.article.source
        assert name != done.article.title and len(name.split()) <= 7, (meta["id"], name)
        hits += _key(name) == _key(expected["publisher"])
    assert total >= 80
    print(f"publisher names matching the gold: {hits}/{total} = {hits / total:.3f}")
    assert hits / total >= PAGES_FLOOR


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).casefold()
    return "".join(c for c in plain if c.isalnum())
