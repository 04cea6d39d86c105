"""The API keeps the promises of its OpenAPI document, as schemathesis checks them from the
document alone: no 5xx, only declared status codes, bodies and headers as declared, and what the
schema refuses the server refuses too. OPTIONS and 405 name every verb a path allows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from newsdesk.accounts import hash_password, token_hash
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.web.app import create_app
from support.pages import PagesData

from .accounts_app import PASSWORD

TOKEN = "openapi-test-token-0123456789abcdef"
EXAMPLES = 30  # per operation and mode; derandomized, so every run tries the same requests
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, pages_data: PagesData) -> Iterator[FastAPI]:
    """The app over a copy of the pages' store (sources and comments get added), an admin's
    token, and no page cache (each request is answered afresh)."""
    db = tmp_path_factory.mktemp("openapi") / "api.db"
    db.write_bytes(Path(pages_data.settings.db).read_bytes())
    built = create_app(Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0))
    with TestClient(built):
        with built.state.newsdesk.store.transaction() as repo:
            admin = repo.create_user("admin", hash_password(PASSWORD), "admin", utcnow())
            repo.create_api_token(token_hash(TOKEN), admin.id, "schemathesis", utcnow())
        yield built


@pytest.mark.slow
def test_the_api_keeps_its_openapi_document(app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

            try:
                call()
            except Unsatisfiable:
                pass  # an operation without parameters has no invalid requests to make
            except Exception as exc:  # every operation is tried; all that fail are reported
                failures.append(f"{operation.label} ({mode}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_each_operation_declares_the_errors_it_gives(app: FastAPI) -> None:
    document = TestClient(app).get("/api/v1/openapi.json").json()
    answers = {
        (method.upper(), path): set(op["responses"])
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    assert {"404", "422", "503"} <= answers[("GET", "/api/v1/articles/{article_id}")]
    assert {"401", "404", "422", "429"} <= answers[("POST", "/api/v1/comments")]
    assert {"401", "403", "422"} <= answers[("POST", "/api/v1/sources")]
    assert "422" not in answers[("GET", "/api/v1/sources")]  # nothing to get wrong
    error = document["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    source = document["components"]["schemas"]["NewSource"]["properties"]["url"]
    assert "pattern" in source


def test_options_and_405_name_every_verb_of_the_path(app: FastAPI) -> None:
    client = TestClient(app)
    cases = {
        "/api/v1/sources": "GET, OPTIONS, POST",
        "/api/v1/comments": "GET, OPTIONS, POST",
        "/api/v1/stories": "GET, OPTIONS",
        "/article/1": "GET, OPTIONS",
        "/story/1/ask": "OPTIONS, POST",
        "/static/site.css": "GET, HEAD, OPTIONS",
    }
    for path, allowed in cases.items():
        answer = client.options(path)
        assert answer.status_code == 204, path
        assert answer.headers["allow"] == allowed, path
    refused = client.delete("/api/v1/sources")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, OPTIONS, POST"
    assert client.options("/no/such/page").status_code == 404
