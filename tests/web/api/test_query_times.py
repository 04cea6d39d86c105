"""A time in a query is what the OpenAPI document says it is: an ISO 8601 date-time (or date).
A bare number, which pydantic alone would read as seconds since 1970, is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db: Path = tmp_path_factory.mktemp("times") / "news.db"
    settings = Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "when", ["2025-06-01", "2025-06-01T10:00:00+00:00", "2025-06-01T10:00:00Z", "0266-04-24T02:16"]
)
def test_iso_times_are_taken(client: TestClient, when: str) -> None:
    for name in ("since", "until"):
        answer = client.get("/api/v1/search", params={"q": "bridge", "mode": "text", name: when})
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("when", ["3854", "1717200000.5", "-5", "June 1", ""])
def test_numbers_and_words_are_refused(client: TestClient, when: str) -> None:
    for name in ("since", "until"):
        answer = client.get("/api/v1/search", params={"q": "bridge", "mode": "text", name: when})
        assert answer.status_code == 422, (when, answer.text)
        assert name in answer.json()["error"]["message"]
