"""The JSON API on a real SQLite store, through the real app in-process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk import accounts
from newsdesk.dates import utcnow
from newsdesk.web.api import articles as api_articles
from newsdesk.web.api import common as api_common
from newsdesk.web.api import stories as api_stories

from .apidata import HOSTILE, SANITIZED, client_for, store_path

API = "/api/v1"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(store_path(tmp_path_factory)) as c:
        yield c


def get(client: TestClient, path: str, status: int = 200, **params: Any) -> Any:
    response = client.get(API + path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def assert_error(body: Any, code: str) -> None:
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert isinstance(message, str) and message and "\n" not in message


def test_stories_page_through_and_story_detail(client: TestClient) -> None:
    first = get(client, "/stories", limit=2)
    assert first["limit"] == 2 and first["offset"] == 0 and first["total"] >= 3
    assert len(first["items"]) == 2 and first["next"]
    story = first["items"][0]
    assert {"id", "title", "summary", "sources", "articles", "hashtags", "last_seen"} <= set(story)
    following = client.get(first["next"]).json()
    assert following["offset"] == 2
    assert {s["id"] for s in following["items"]}.isdisjoint(s["id"] for s in first["items"])
    everything = get(client, "/stories", limit=100)
    assert everything["next"] is None and len(everything["items"]) == everything["total"]

    detail = get(client, f"/stories/{story['id']}")
    assert detail["id"] == story["id"] and detail["coverage"]["items"]
    assert all({"id", "source", "title", "why"} <= set(c) for c in detail["coverage"]["items"])
    assert detail["brief"] is None or "summary" in detail["brief"]


def test_articles_filters_and_article_detail(client: TestClient) -> None:
    listed = get(client, "/articles", limit=100)
    assert listed["total"] == len(listed["items"]) >= 6
    hostile = next(a for a in listed["items"] if a["title"] == SANITIZED)
    by_source = get(client, "/articles", source="Hostile Gazette")
    assert [a["id"] for a in by_source["items"]] == [hostile["id"]]
    raw = next(a for a in listed["items"] if a["title"] == HOSTILE)
    assert get(client, f"/articles/{raw['id']}")["title"] == HOSTILE  # JSON carries it as data
    assert get(client, "/articles", lang="xx")["items"] == []

    seed = next(a for a in listed["items"] if "prisoner swap" in a["title"])
    article = get(client, f"/articles/{seed['id']}")
    assert article["id"] == seed["id"] and article["text"]
    assert article["sightings"] and "story_id" in article and "tags" in article
    if article["tags"]:
        tag = article["tags"][0]
        tagged = get(client, "/articles", tag=tag)
        assert seed["id"] in [a["id"] for a in tagged["items"]]
        assert tagged["total"] == len(tagged["items"])


def test_long_lists_count_up_to_a_bound_and_still_page_on(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past COUNTED_UP_TO the count stops (a million articles are not counted per request):
    total is the bound, total_exact false, and full pages keep a next link to the end."""
    monkeypatch.setattr(api_common, "COUNTED_UP_TO", 3)
    monkeypatch.setattr(api_articles, "COUNTED_UP_TO", 3)
    monkeypatch.setattr(api_stories, "COUNTED_UP_TO", 3)
    with client_for(store_path(tmp_path_factory)) as bounded:
        first = get(bounded, "/articles", limit=2)
        assert first["total"] == 3 and first["total_exact"] is False and first["next"]
        seen = [a["id"] for a in first["items"]]
        following = first["next"]
        for _ in range(50):  # bounded walk: every article once, then no next link
            if not following:
                break
            body = bounded.get(following).json()
            seen += [a["id"] for a in body["items"]]
            following = body["next"]
        everything = get(bounded, "/articles", limit=100)["items"]
        assert following is None and seen == [a["id"] for a in everything] and len(seen) > 3
        stories = get(bounded, "/stories", limit=2)
        assert stories["total"] == 3 and stories["total_exact"] is False
        by_source = get(bounded, "/articles", source="Hostile Gazette")
        assert by_source["total"] == 1 and by_source["total_exact"] is True


def test_related_has_no_duplicates(client: TestClient) -> None:
    ids = [a["id"] for a in get(client, "/articles", limit=100)["items"]]
    for article_id in ids[:4]:
        items = get(client, f"/articles/{article_id}/related")["items"]
        related = [i["id"] for i in items]
        assert article_id not in related and len(related) == len(set(related))
        assert all(i["kind"] in {"coverage", "related"} and i["when"] for i in items)


def test_search_with_snippets_filters_and_paging(client: TestClient) -> None:
    found = get(client, "/search", q="bridge council")
    assert found["query"] == "bridge council"
    assert [h["title"] for h in found["items"]] == [SANITIZED]
    assert "[" in found["items"][0]["snippet"]
    assert get(client, "/search", q="bridge", source="nobody")["items"] == []
    wide = get(client, "/search", q="the", limit=1)
    assert len(wide["items"]) == 1 and wide["next"] and "offset=1" in wide["next"]
    assert get(client, "/search", q="\"'*:()^ AND", limit=5)["items"] == []


def test_tags_and_entities(client: TestClient) -> None:
    tags = get(client, "/tags", limit=5)
    assert tags["items"] and all(
        t["tag"].startswith("#") and t["articles"] >= 1 for t in tags["items"]
    )
    counts = [t["articles"] for t in tags["items"]]
    assert counts == sorted(counts, reverse=True)
    people = get(client, "/entities", type="PERSON", limit=50)["items"]
    assert people and all(e["type"] == "PERSON" for e in people)
    assert get(client, "/entities", limit=1)["next"]


def test_ask_answers_with_citations(client: TestClient) -> None:
    response = client.post(
        API + "/ask", json={"question": "What did the council say about the bridge?"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["question"].startswith("What did")
    if answer["found"]:
        assert all(line["cites"] for line in answer["lines"])
    short = client.post(API + "/ask", json={"question": ""})
    assert short.status_code == 422
    assert_error(short.json(), "invalid")


def test_errors_have_one_shape(client: TestClient) -> None:
    assert_error(get(client, "/stories/999999", 404), "not_found")
    assert_error(get(client, "/articles/999999", 404), "not_found")
    assert_error(get(client, "/articles/999999/related", 404), "not_found")
    assert_error(get(client, "/nothing-here", 404), "not_found")
    assert_error(get(client, "/stories", 422, limit=0), "invalid")
    assert_error(get(client, "/stories/abc", 422), "invalid")
    assert_error(get(client, "/search", 422), "invalid")
    wrong = client.delete(API + "/stories")
    assert wrong.status_code == 405
    assert_error(wrong.json(), "method_not_allowed")


def test_openapi_document_lists_the_api(client: TestClient) -> None:
    doc = get(client, "/openapi.json")
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    for path in (
        "/stories",
        "/stories/{story_id}",
        "/articles",
        "/articles/{article_id}",
        "/articles/{article_id}/related",
        "/search",
        "/tags",
        "/entities",
        "/ask",
        "/sources",
        "/comments",
    ):
        assert API + path in paths
    assert all(p.startswith(API) for p in paths)
    operations = [op for item in doc["paths"].values() for op in item.values()]
    assert all(op.get("summary") and op.get("tags") for op in operations)


def _token(client: TestClient, name: str, role: str) -> str:
    app = client.app.state.newsdesk  # type: ignore[attr-defined]
    token = accounts.new_token()
    with app.store.transaction() as repo:
        user = repo.user_by_name(name) or repo.create_user(name, "x", role, utcnow())
        repo.create_api_token(accounts.token_hash(token), user.id, f"{name}-test", utcnow())
    return token


def test_writes_need_a_token_and_the_right_role(client: TestClient) -> None:
    new = {"url": "https://example.org/feed.xml", "kind": "feed", "title": "Example"}
    anonymous = client.post(API + "/sources", json=new)
    assert anonymous.status_code == 401
    assert_error(anonymous.json(), "unauthorized")
    bad = client.post(API + "/sources", json=new, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    member = {"Authorization": f"Bearer {_token(client, 'mia', 'member')}"}
    assert_error(client.post(API + "/sources", json=new, headers=member).json(), "forbidden")
    admin = {"Authorization": f"Bearer {_token(client, 'ada', 'admin')}"}
    for wrong in ({"url": "javascript:alert(1)"}, {"url": "https://u:p@example.org/x"}):
        refused = client.post(API + "/sources", json=wrong, headers=admin)
        assert refused.status_code == 422
        assert_error(refused.json(), "invalid")
    made = client.post(API + "/sources", json=new, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["url"] == new["url"] and made.json()["kind"] == "feed"
    listed = get(client, "/sources")["items"]
    assert new["url"] in [s["url"] for s in listed]


def test_comments_read_and_post_with_a_token(client: TestClient) -> None:
    article_id = get(client, "/articles", limit=1)["items"][0]["id"]
    target = {"kind": "article", "target_id": article_id}
    payload = {**target, "body": "**Good** piece <script>alert(1)</script>"}
    refused = client.post(API + "/comments", json=payload)
    assert refused.status_code == 401
    assert_error(refused.json(), "unauthorized")
    headers = {"Authorization": f"Bearer {_token(client, 'cara', 'member')}"}
    made = client.post(API + "/comments", json=payload, headers=headers)
    assert made.status_code == 201, made.text
    comment = made.json()
    assert "<strong>Good</strong>" in comment["html"] and "<script" not in comment["html"]
    reply = {**target, "body": "agreed", "parent_id": comment["id"]}
    assert client.post(API + "/comments", json=reply, headers=headers).status_code == 201
    listed = get(client, "/comments", **target)["items"]
    assert [c["parent_id"] for c in listed] == [None, comment["id"]]
    assert listed[0]["user"] == "cara"
    missing = {"kind": "story", "target_id": 999999, "body": "hello"}
    assert_error(client.post(API + "/comments", json=missing, headers=headers).json(), "not_found")
    assert_error(get(client, "/comments", 422, kind="poll", target_id=1), "invalid")
    too_long = {**target, "body": "x" * 6000}
    assert_error(client.post(API + "/comments", json=too_long, headers=headers).json(), "invalid")
