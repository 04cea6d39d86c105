"""Register, log in, log out: GET shows the form, POST acts (CSRF checked by auth's middleware)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.dates import utcnow
from newsdesk.store.users import NameTakenError
from newsdesk.web import auth

router = APIRouter()

NAME = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024


def safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (another site, //host) becomes /."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, template, {"error": None, **context}, status_code=status
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return _page(request, "login.html", name="", next=safe_next(next))


@router.post("/login", response_model=None)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    name, target = name.strip(), safe_next(next)
    locked = auth.login_locked(request, name)
    if locked:
        return _page(request, "login.html", 429, name=name, next=target, error=locked)
    user = auth.authenticate(request, name, password)
    if user is None:
        error = "Wrong name or password."
        return _page(request, "login.html", 401, name=name, next=target, error=error)
    response = RedirectResponse(target, status_code=303)
    auth.start_session(request, response, user)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request) -> HTMLResponse:
    return _page(request, "register.html", name="")


def _registration_error(name: str, password: str, confirm: str) -> str | None:
    if not NAME.match(name):
        return "A name has 3 to 32 letters, digits, dots, dashes or underscores."
    if len(password) < MIN_PASSWORD:
        return f"A password has at least {MIN_PASSWORD} characters."
    if password != confirm:
        return "The two passwords differ."
    return None


@router.post("/register", response_model=None)
def register(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    confirm: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
) -> Response:
    name = name.strip()
    error = _registration_error(name, password, confirm)
    if error is None:
        try:
            with auth.newsdesk_app(request).store.transaction() as repo:
                user = repo.create_user(name, auth.hash_password(password), "member", utcnow())
        except NameTakenError:
            error = f"The name {name} is taken: choose another."
    if error is not None:
        return _page(request, "register.html", 422, name=name, error=error)
    response = RedirectResponse("/", status_code=303)
    auth.start_session(request, response, user)
    return response


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    auth.end_session(request, response)
    return response
