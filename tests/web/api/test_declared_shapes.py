"""Every /api/v1 operation declares what it answers, and answers just that: the OpenAPI document
names a typed schema for each success (no `{}` anywhere in it), and a real request to each
operation, on a real SQLite store, gets a body that matches its schema key for key. A story, an
article and a card also validate against the read model the schema was drawn from."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from newsdesk import read
from newsdesk.accounts import hash_password, token_hash
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.models import Brief
from newsdesk.store import Store
from newsdesk.web.app import create_app
from support.synthetic import ENTITY, Built, build_stories

from .schemas import differences, resolve, untyped

TOKEN = "declared-shapes-token-0123456789abcdef"
SENTENCES = ("The council met on Monday to vote on the bridge.", "The bridge opens next spring.")


@dataclass(frozen=True)
class Served:
    client: TestClient
    built: Built
    document: dict[str, Any]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Three stories of seven articles, an admin with an API token, and one article whose brief
    holds sentences a question can be answered from."""
    db: Path = tmp_path_factory.mktemp("declared") / "news.db"
    with Store.open(f"sqlite:///{db}") as store, store.transaction() as repo:
        built = build_stories(repo, 3, 7)
        repo.save_brief(Brief(lang="en", sentences=SENTENCES), article_id=built.article_ids[0])
        admin = repo.create_user("admin", hash_password("a long password 1"), "admin", utcnow())
        repo.create_api_token(token_hash(TOKEN), admin.id, "shapes", utcnow())
    app = create_app(Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0))
    with TestClient(app) as client:
        document = client.get("/api/v1/openapi.json").json()
        yield Served(client, built, document)


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if path.startswith("/api/v1/")
    }


def _successes(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {code: answer for code, answer in op["responses"].items() if code.startswith("2")}


def test_every_operation_declares_a_typed_success(served: Served) -> None:
    document = served.document
    operations = _operations(document)
    assert len(operations) >= 13
    problems: list[str] = []
    for (method, path), op in operations.items():
        label = f"{method} {path}"
        successes = _successes(op)
        if not successes:
            problems.append(f"{label}: no 2xx response declared")
        for code, answer in successes.items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if not schema:
                problems.append(f"{label} {code}: no JSON schema")
                continue
            if "properties" not in resolve(document, schema):
                problems.append(f"{label} {code}: not an object with properties")
            problems += untyped(document, schema, f"{label} {code}")
            # And every field it declares is one the client can count on.
            body = resolve(document, schema)
            missing = set(body.get("properties", {})) - set(body.get("required", []))
            if missing:
                problems.append(f"{label} {code}: fields not required: {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_errors_are_declared_in_the_one_error_shape(served: Served) -> None:
    for (method, path), op in _operations(served.document).items():
        for code, answer in op["responses"].items():
            if code.startswith(("4", "5")):
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)


def test_the_document_lists_only_the_schemas_the_api_uses(served: Served) -> None:
    names = set(served.document["components"]["schemas"])
    assert not {n for n in names if n.startswith("Body_")}, names  # the pages' form bodies
    assert {"Story", "StoryCard", "Article", "ArticleCard", "Brief", "ErrorBody"} <= names


# One real request for every operation: (path and query, JSON body or None, expected status).
Call = tuple[str, dict[str, Any] | None, int]
CALLS: dict[tuple[str, str], Callable[[Built], Call]] = {
    ("GET", "/api/v1/stories"): lambda b: ("/api/v1/stories?limit=2", None, 200),
    ("GET", "/api/v1/stories/{story_id}"): lambda b: (
        f"/api/v1/stories/{b.story_ids[0]}?limit=3",
        None,
        200,
    ),
    ("GET", "/api/v1/articles"): lambda b: ("/api/v1/articles?limit=2", None, 200),
    ("GET", "/api/v1/articles/{article_id}"): lambda b: (
        f"/api/v1/articles/{b.duplicate_ids[0]}",
        None,
        200,
    ),
    ("GET", "/api/v1/articles/{article_id}/related"): lambda b: (
        f"/api/v1/articles/{b.article_ids[0]}/related",
        None,
        200,
    ),
    ("GET", "/api/v1/search"): lambda b: ("/api/v1/search?q=bridge&limit=2", None, 200),
    ("GET", "/api/v1/tags"): lambda b: ("/api/v1/tags?limit=1", None, 200),
    ("GET", "/api/v1/entities"): lambda b: ("/api/v1/entities?limit=1", None, 200),
    ("POST", "/api/v1/sources"): lambda b: (
        "/api/v1/sources",
        {"url": "https://example.org/feed.xml", "title": "Example"},
        201,
    ),
    ("GET", "/api/v1/sources"): lambda b: ("/api/v1/sources", None, 200),
    ("POST", "/api/v1/comments"): lambda b: (
        "/api/v1/comments",
        {"kind": "story", "target_id": b.story_ids[0], "body": "A *first* comment."},
        201,
    ),
    ("GET", "/api/v1/comments"): lambda b: (
        f"/api/v1/comments?kind=story&target_id={b.story_ids[0]}",
        None,
        200,
    ),
    ("POST", "/api/v1/ask"): lambda b: (
        "/api/v1/ask",
        {"question": "Did the council vote on the bridge?", "story_id": b.story_ids[0]},
        200,
    ),
}


def test_every_answer_is_what_its_operation_declares(served: Served) -> None:
    document, client = served.document, served.client
    operations = _operations(document)
    assert set(operations) <= set(CALLS), f"no request here for {set(operations) - set(CALLS)}"
    problems: list[str] = []
    bodies: dict[tuple[str, str], Any] = {}
    for key, call in CALLS.items():  # in order: what a POST adds, the GET after it reads
        url, body, status = call(served.built)
        answer = client.request(
            key[0], url, json=body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status_code == status, (key, answer.text)
        schema = operations[key]["responses"][str(status)]["content"]["application/json"]
        problems += differences(document, schema["schema"], answer.json(), f"{key[0]} {url}")
        bodies[key] = answer.json()
    assert not problems, "\n".join(problems)
    # Each list had something in it, so its items were checked too.
    for key, body in bodies.items():
        assert body.get("items", [None]), key
    assert bodies[("POST", "/api/v1/ask")]["found"], "the answer had no lines to check"
    assert bodies[("GET", "/api/v1/stories")]["next"] is not None
    entities = [e["name"] for e in bodies[("GET", "/api/v1/entities")]["items"]]
    assert entities == [ENTITY]


def test_a_story_an_article_and_a_card_validate_as_their_read_models(served: Served) -> None:
    client, built = served.client, served.built
    cases: list[tuple[str, Any]] = [
        (f"/api/v1/stories/{built.story_ids[1]}", read.Story),
        (f"/api/v1/articles/{built.article_ids[0]}", read.Article),
        (f"/api/v1/articles/{built.duplicate_ids[1]}", read.Article),
    ]
    for path, model in cases:
        raw = client.get(path).content
        TypeAdapter(model).validate_json(raw, strict=True)
    cards = client.get("/api/v1/stories").json()["items"]
    articles = client.get("/api/v1/articles").json()["items"]
    assert cards and articles
    TypeAdapter(list[read.StoryCard]).validate_python(cards)
    TypeAdapter(list[read.ArticleCard]).validate_python(articles)


def test_a_read_model_is_answered_as_read_to_json_writes_it(served: Served) -> None:
    """The API writes the read models itself (orjson): byte for byte what the CLI's --json
    gets from read.to_json, times with their "+00:00" included."""
    client, built = served.client, served.built
    store = client.app.state.newsdesk.store  # type: ignore[attr-defined]
    with store.transaction(readonly=True) as repo:
        expected = {
            f"/api/v1/stories/{built.story_ids[1]}": read.story(repo, built.story_ids[1]),
            f"/api/v1/articles/{built.article_ids[0]}": read.article(repo, built.article_ids[0]),
            f"/api/v1/articles/{built.duplicate_ids[1]}": read.article(
                repo, built.duplicate_ids[1]
            ),
        }
        cards = read.article_cards(repo.list_articles(limit=20, offset=0))
    for path, view in expected.items():
        assert client.get(path).content == json.dumps(
            read.to_json(view), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    listed = client.get("/api/v1/articles").json()["items"]
    assert listed == json.loads(json.dumps(read.to_json(cards)))
    assert any(card["published"] and card["published"].endswith("+00:00") for card in listed)
