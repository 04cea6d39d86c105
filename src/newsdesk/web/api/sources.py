"""Sources: the subscribed feeds and pages; admins add one with an API token."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from newsdesk import read
from newsdesk.models import SourceRecord
from newsdesk.sources.links import subscription_refusal
from newsdesk.web.api.common import AppDep, RepoDep, errors
from newsdesk.web.api.shapes import FeedList, shaped
from newsdesk.web.auth import TokenUserDep

router = APIRouter(tags=["sources"])


# What the schema shows of subscription_refusal's rule, so a client sees it (and the server
# checks both): http(s); a host name whose last label starts with a letter, or a dotted-quad
# IPv4 address (a numeric last label must be one); an optional port; printable characters.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
URL_PATTERN = (
    r"^\s*[Hh][Tt][Tt][Pp][Ss]?://"
    rf"(([A-Za-z0-9_-]+\.)*[A-Za-z_-][A-Za-z0-9_-]*\.?|({_OCTET}\.){{3}}{_OCTET})"
    r"(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"([/?#][!-~]*)?\s*$"
)
MAX_URL_CHARS = 1000  # the rule refuses host names over 1,012 characters


class NewSource(BaseModel):
    url: str = Field(
        min_length=8,
        max_length=MAX_URL_CHARS,
        pattern=URL_PATTERN,
        description="An http(s) feed or page URL, without credentials.",
        examples=["https://example.org/feed.xml"],
    )
    kind: Literal["feed", "page"] = "feed"
    title: str | None = Field(default=None, max_length=300)
    category: str | None = Field(default=None, max_length=100)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        refusal = subscription_refusal(value)  # the rule OPML import follows too
        if refusal:
            raise ValueError(refusal)
        return value


def source_dict(s: SourceRecord) -> dict[str, Any]:
    """A subscribed source as the API shows it: the read model read.Feed as JSON."""
    data: dict[str, Any] = read.to_json(read.feed(s))
    return data


@router.get(
    "/sources",
    summary="Subscribed sources with their polling state",
    response_model=FeedList,
)
def list_sources(repo: RepoDep) -> JSONResponse:
    return shaped({"items": [source_dict(s) for s in repo.list_sources()]})


@router.post(
    "/sources",
    status_code=201,
    summary="Subscribe to a feed or page (admins, API token); the poller fetches it",
    response_model=read.Feed,
    responses=errors(403),
)
def add_source(body: NewSource, user: TokenUserDep, app: AppDep) -> JSONResponse:
    if not user.is_admin:
        raise HTTPException(403, "only admins can add sources")
    with app.store.transaction() as repo:
        record = repo.upsert_source(
            body.url, kind=body.kind, title=body.title, category=body.category
        )
    return shaped(source_dict(record), status_code=201)
