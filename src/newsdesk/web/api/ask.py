"""Ask the archive (or one story) a question; the answer cites the sentences it came from."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from newsdesk import serialize
from newsdesk.ask_archive import ask_archive
from newsdesk.web.api.common import AppDep, RepoDep, errors
from newsdesk.web.api.shapes import Answer, shaped

router = APIRouter(tags=["ask"])


class Question(BaseModel):
    question: str = Field(min_length=3, max_length=500)
    story_id: int | None = None


@router.post(
    "/ask",
    summary="Answer a question from the coverage, with citations",
    response_model=Answer,
    responses=errors(404),
)
def ask(body: Question, app: AppDep, repo: RepoDep) -> JSONResponse:
    answer = ask_archive(repo, body.question, story_id=body.story_id, llm=app.llm)
    return shaped(serialize.answer_dict(answer))
