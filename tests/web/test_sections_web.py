"""Sections on the site: a story's section in the API and on its card, /section/NAME ranked like
the front page, its Atom feed, and the section bar in the header."""

from __future__ import annotations

import re

from lxml import etree
from starlette.testclient import TestClient

from newsdesk.app import build
from newsdesk.section_names import SECTIONS, slug
from support.pages import PagesData


def _filed(pages_data: PagesData) -> dict[int, tuple[str | None, str | None]]:
    with build(pages_data.settings) as app, app.store.transaction(readonly=True) as repo:
        ids = [s.id for s in repo.list_stories(limit=200)]
        return repo.story_sections(ids)


def test_every_story_gets_a_section(pages_data: PagesData) -> None:
    filed = _filed(pages_data)
    assert filed
    assert all(section in SECTIONS for section, _ in filed.values())


def test_the_api_names_a_story_section(client: TestClient, pages_data: PagesData) -> None:
    story_id, (section, nation) = next(iter(_filed(pages_data).items()))
    data = client.get(f"/api/v1/stories/{story_id}").json()
    assert (data["section"], data["nation"]) == (section, nation)
    items = client.get("/api/v1/stories").json()["items"]
    assert all(item["section"] in SECTIONS for item in items)


def test_a_section_page_lists_its_stories_ranked_like_the_front(
    client: TestClient, pages_data: PagesData
) -> None:
    filed = _filed(pages_data)
    section = next(iter(filed.values()))[0]
    assert section is not None
    page = client.get(f"/section/{slug(section)}")
    assert page.status_code == 200
    shown = [int(i) for i in re.findall(r'<h2><a href="/story/(\d+)"', page.text)]
    front = client.get("/api/v1/stories", params={"limit": 100}).json()["items"]
    expected = [s["id"] for s in front if s["section"] == section]
    assert shown == expected[: len(shown)] and shown
    assert client.get(f"/section/{section}").status_code == 200  # the name works too


def test_an_unknown_section_is_a_404_page(client: TestClient) -> None:
    page = client.get("/section/no-such-desk")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_a_section_feed_is_atom(client: TestClient, pages_data: PagesData) -> None:
    section = next(iter(_filed(pages_data).values()))[0]
    assert section is not None
    feed = client.get(f"/feeds/section/{slug(section)}.atom")
    assert feed.status_code == 200
    root = etree.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.findtext("a:title", namespaces=ns) == f"newsdesk: {section}"
    assert root.findall("a:entry", namespaces=ns)


def test_the_header_bar_links_each_section_with_stories(
    client: TestClient, pages_data: PagesData
) -> None:
    filed = _filed(pages_data)
    html = client.get("/").text
    bar = re.search(r'<nav class="section-bar" aria-label="Sections">(.*?)</nav>', html, re.S)
    assert bar is not None
    links = re.findall(r'href="(/section/[^"]+)"', bar.group(1))
    has = {section for section, _ in filed.values()} | {n for _, n in filed.values() if n}
    assert {f"/section/{slug(s)}" for s in has if s in SECTIONS} <= set(links)
    assert all(client.get(link).status_code == 200 for link in links)


def test_cards_show_their_section(client: TestClient, pages_data: PagesData) -> None:
    html = client.get("/").text
    assert re.search(r'<p class="section"><a href="/section/[a-z-]+">', html)


def test_a_story_page_names_its_section(client: TestClient, pages_data: PagesData) -> None:
    story_id, (section, _) = next(iter(_filed(pages_data).items()))
    assert section is not None
    html = client.get(f"/story/{story_id}").text
    assert f'<p class="section"><a href="/section/{slug(section)}">{section}</a>' in html
