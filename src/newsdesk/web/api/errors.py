"""One error shape for the API and the feeds: {"error": {"code": "not_found", "message": "..."}}.

install_errors(app) registers the handlers; outside /api and /feeds each handler hands the
exception to the handler that was registered before it (or FastAPI's default), so pages can keep
their own HTML error pages: register those first, then call install_errors.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response

from newsdesk.errors import NewsdeskError, NotFoundError, StoreBusyError
from newsdesk.web.store_slots import RETRY_AFTER

log = logging.getLogger(__name__)
PREFIXES = ("/api/", "/feeds/")
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "internal",
    503: "unavailable",
}
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
DESCRIPTIONS = {
    400: "The request body could not be read.",
    401: "No valid API token (`Authorization: Bearer <token>`).",
    403: "The token's owner may not do this.",
    404: "No such article, story or comment (an id beyond the store's range included).",
    422: "A parameter or a body field is invalid; the message names it.",
    429: "Too many requests: try again after Retry-After seconds.",
    503: "Every store connection is busy: try again after Retry-After seconds.",
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
}


class ErrorDetail(BaseModel):
    code: str = Field(description="not_found, invalid, unauthorized, ...")
    message: str = Field(description="One line saying what and why.")


class ErrorBody(BaseModel):
    """Every error of the API and the feeds."""

    error: ErrorDetail


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: the errors it answers besides the app-wide ones."""
    return {code: _declared(code) for code in codes}


def _declared(code: int) -> dict[str, Any]:
    answer: dict[str, Any] = {"model": ErrorBody, "description": DESCRIPTIONS[code]}
    if code in (429, 503):
        answer["headers"] = RETRY_AFTER_HEADER
    return answer


def declare_app_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of an OpenAPI document the errors any route may answer: 422 in
    the API's own shape (not FastAPI's), 400 for an unreadable body, 401 where a token is
    required, 503 when the store is busy."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components["ErrorBody"] = schema
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}

    def response(code: int) -> dict[str, Any]:
        declared: dict[str, Any] = {"description": DESCRIPTIONS[code], "content": ref}
        if code in (429, 503):
            declared["headers"] = RETRY_AFTER_HEADER
        return declared

    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.setdefault("responses", {})
            codes = [503]
            if operation.get("parameters") or "requestBody" in operation:
                codes.append(422)
            if "requestBody" in operation:
                codes.append(400)
            if operation.get("security"):
                codes.append(401)
            for code in codes:
                answers[str(code)] = response(code)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return document


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    code = CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
    line = " ".join(str(message).split())[:300]
    return JSONResponse({"error": {"code": code, "message": line}}, status, headers=headers)


def is_api(request: Request) -> bool:
    return request.url.path.startswith(PREFIXES)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_errors(app: FastAPI) -> None:
    """Register the API's exception handlers, keeping earlier ones for the other paths; once."""
    if getattr(app.state, "api_errors_installed", False):
        return
    app.state.api_errors_installed = True
    before_http = app.exception_handlers.get(HTTPException, http_exception_handler)
    before_invalid = app.exception_handlers.get(
        RequestValidationError, request_validation_exception_handler
    )
    before_store: Handler | None = app.exception_handlers.get(NewsdeskError)
    before_missing: Handler | None = app.exception_handlers.get(NotFoundError, before_store)
    before_busy: Handler | None = app.exception_handlers.get(StoreBusyError, before_store)
    before_any: Handler | None = app.exception_handlers.get(Exception)

    async def on_http(request: Request, exc: Exception) -> Response:
        if not is_api(request):
            return await _call(before_http, request, exc)
        assert isinstance(exc, HTTPException)
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return error_response(exc.status_code, message, exc.headers)

    async def on_invalid(request: Request, exc: Exception) -> Response:
        if not is_api(request):
            return await _call(before_invalid, request, exc)
        assert isinstance(exc, RequestValidationError)
        return error_response(422, _validation_message(exc))

    async def on_store(request: Request, exc: Exception) -> Response:
        before = before_store
        if isinstance(exc, NotFoundError):
            before = before_missing
        elif isinstance(exc, StoreBusyError):
            before = before_busy
        if not is_api(request) and before is not None:
            return await _call(before, request, exc)
        if isinstance(exc, NotFoundError):
            return error_response(404, _public(str(exc)))
        if isinstance(exc, StoreBusyError):
            message = "the server is busy: try again in a few seconds"
            return error_response(503, message, {"Retry-After": str(RETRY_AFTER)})
        if not is_api(request):
            raise exc
        log.exception("api: %s", exc)
        return error_response(500, "the server could not answer this request")

    async def on_any(request: Request, exc: Exception) -> Response:
        if not is_api(request) and before_any is not None:
            return await _call(before_any, request, exc)
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        if not is_api(request):
            return PlainTextResponse("Internal Server Error", 500)
        return error_response(500, "the server could not answer this request")

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(NewsdeskError, on_store)
    app.add_exception_handler(NotFoundError, on_store)  # pages may have their own for this one
    app.add_exception_handler(StoreBusyError, on_store)  # and for this one
    app.add_exception_handler(Exception, on_any)


def _public(message: str) -> str:
    # "store: no article with id 7" -> "no article with id 7"
    return message.split(": ", 1)[1] if message.startswith("store: ") else message


async def _call(handler: Handler, request: Request, exc: Exception) -> Response:
    result = handler(request, exc)
    if isinstance(result, Response):
        return result
    return await result
