"""Cards and pages with pictures: each <img> is this site's thumbnail with its size and alt
text, publishers read "AP, Reuters, BBC +3", times say when a story broke and last moved, and
an image that failed leaves its card without an <img>."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from localserver import LocalServer, running_server
from newsdesk.web.app import create_app
from support.pictures import PictureSite, build_picture_site


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def site(tmp_path: Path, server: LocalServer) -> PictureSite:
    return build_picture_site(tmp_path, server)


@pytest.fixture
def client(site: PictureSite) -> Iterator[TestClient]:
    with TestClient(create_app(site.settings), follow_redirects=False) as test_client:
        yield test_client


def _cards(html: str) -> dict[str, str]:
    """Each story card's markup by its story path."""
    found = {}
    for card in re.findall(r'<li class="card[^"]*">.*?</li>', html, re.S):
        link = re.search(r'href="(/story/\d+)"', card)
        if link:
            found[link.group(1)] = card
    return found


def test_front_page_cards_show_pictures_publishers_and_times(
    client: TestClient, site: PictureSite
) -> None:
    html = client.get("/").text
    cards = _cards(html)
    geneva, rates, storm, tram = (f"/story/{i}" for i in site.story_ids)
    first = site.articles[site.story_ids[0]][0]
    assert (
        f'<img class="thumb" src="/img/{first}/320" width="320" height="180" '
        'alt="Photo for ceasefire talks resume in geneva" loading="lazy" decoding="async">'
    ) in cards[geneva]
    assert (
        '<span class="publishers">AP, Reuters, BBC <span title="Le Monde, Al Jazeera, NHK">'
        "+3</span></span>"
    ) in cards[geneva]
    assert re.search(
        r'broke <time datetime="[^"]+" title="\d+ \w+ \d{4}, \d\d:\d\d UTC">5 hours ago</time>'
        r' · updated <time datetime="[^"]+" title="[^"]+">an hour ago</time>',
        cards[geneva],
    )
    assert '<span class="publishers">Bloomberg, FT</span>' in cards[rates]
    assert "<img" in cards[storm]  # not tried yet: the proxy will find out
    assert "<img" not in cards[tram] and "with-picture" not in cards[tram]
    assert 'class="section"' not in html  # no story has a section yet


def test_a_failed_image_leaves_its_card_without_a_picture(
    client: TestClient, site: PictureSite
) -> None:
    storm = site.story_ids[2]
    article = site.articles[storm][0]
    assert client.get(f"/img/{article}/320").headers["content-type"] == "image/svg+xml"
    card = _cards(client.get("/").text)[f"/story/{storm}"]
    assert "<img" not in card and "with-picture" not in card


def test_every_picture_on_the_front_page_is_served_from_this_site(
    client: TestClient, site: PictureSite, server: LocalServer
) -> None:
    html = client.get("/").text
    sources = re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert sources and all(src.startswith("/img/") for src in sources)
    assert server.url("/") not in html  # the publisher's image URL never reaches the reader
    for src in sources:
        answer = client.get(src)
        assert answer.status_code == 200
        assert answer.headers["content-type"] in ("image/webp", "image/svg+xml")


def test_story_and_article_pages_show_the_large_picture(
    client: TestClient, site: PictureSite
) -> None:
    story = site.story_ids[0]
    first = site.articles[story][0]
    page = client.get(f"/story/{story}").text
    assert (
        f'<img class="lead-picture" src="/img/{first}/800" width="800" height="450" '
        'alt="Photo for ceasefire talks resume in geneva"'
    ) in page
    article = client.get(f"/article/{site.articles[story][3]}").text  # Le Monde's PNG
    assert f'src="/img/{site.articles[story][3]}/800"' in article
    bare = client.get(f"/article/{site.articles[story][2]}").text  # BBC: no image
    assert "lead-picture" not in bare


def test_source_pages_list_article_cards_with_pictures(
    client: TestClient, site: PictureSite
) -> None:
    html = client.get("/source/Reuters").text
    reuters = site.articles[site.story_ids[0]][1]
    assert f'src="/img/{reuters}/320" width="320" height="180"' in html


def test_the_api_story_list_carries_publishers_and_the_proxy_paths(
    client: TestClient, site: PictureSite
) -> None:
    items = client.get("/api/v1/stories").json()["items"]
    geneva = next(i for i in items if i["id"] == site.story_ids[0])
    assert geneva["publishers"][:3] == ["AP", "Reuters", "BBC"]
    first = site.articles[site.story_ids[0]][0]
    assert geneva["picture"]["src"] == f"/img/{first}/320"
    assert geneva["picture"]["large_src"] == f"/img/{first}/800"
    assert geneva["section"] is None


def test_the_api_article_list_carries_pictures(client: TestClient, site: PictureSite) -> None:
    items = client.get("/api/v1/articles", params={"source": "Reuters"}).json()["items"]
    reuters = site.articles[site.story_ids[0]][1]
    assert [i["picture"]["src"] for i in items] == [f"/img/{reuters}/320"]
    bbc = client.get("/api/v1/articles", params={"source": "BBC"}).json()["items"]
    assert [i["picture"] for i in bbc] == [None]
