"""Register, log in, log out: GET shows the form, POST acts (CSRF checked by auth's middleware)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk import accounts
from newsdesk.accounts import MAX_PASSWORD
from newsdesk.dates import utcnow
from newsdesk.store.users import NameTakenError
from newsdesk.web import auth
from newsdesk.web.deps import get_app, templates

router = APIRouter()


def safe_next(target: str | None) -> str:
    """A path on this site to go back to after logging in; anything else becomes /: another
    site (https://..., //host, /\\host), a scheme (javascript:...), a control character (a
    browser drops tabs and newlines, so "/<TAB>/host" would be "//host"), or the login page."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return "/"
    return target


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
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
    address = auth.client_ip(request)
    with get_app(request).store.transaction() as repo:
        locked = accounts.login_locked(repo, name, address, utcnow())
        user = None if locked else accounts.authenticate(repo, name, password, address, utcnow())
    if locked:
        return _page(request, "login.html", 429, name=name, next=target, error=locked)
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
    problem = accounts.name_problem(name) or accounts.password_problem(password)
    if problem is None and password != confirm:
        return "The two passwords differ."
    return problem


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
            password_hash = accounts.hash_password(password)
            with get_app(request).store.transaction() as repo:
                user = repo.create_user(name, password_hash, "member", utcnow())
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
