"""App passwords for feed-reader apps: make one (shown once), see them, delete one.

A reader's own page (login required, never kept by the page cache); forms carry the CSRF token.
What the apps do with them is newsdesk.web.reader_api; how to connect, docs/reader_apps.md.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from newsdesk.dates import utcnow
from newsdesk.store.users import User
from newsdesk.web.auth import UserDep
from newsdesk.web.deps import AppDep, templates
from newsdesk.web.personal_marks import PERSONAL_WRITE
from newsdesk.web.reader_api import credentials
from newsdesk.web.reader_api.credentials import NewAppPassword

PATH = "/account/apps"
router = APIRouter(dependencies=[PERSONAL_WRITE])  # one reader's: kept pages stay


def _page(
    request: Request, app: AppDep, user: User, made: NewAppPassword | None = None
) -> HTMLResponse:
    with app.store.transaction(readonly=True) as repo:
        passwords = repo.app_passwords_of(user.id)
    base = str(request.base_url).rstrip("/")
    context = {"passwords": passwords, "made": made, "base": base, "user_name": user.name}
    page: HTMLResponse = templates.TemplateResponse(
        request, "app_passwords.html", context, status_code=201 if made else 200
    )
    return page


@router.get(PATH, response_class=HTMLResponse)
def app_passwords(request: Request, app: AppDep, user: UserDep) -> HTMLResponse:
    return _page(request, app, user)


@router.post(PATH, response_class=HTMLResponse)
def create_app_password(
    request: Request,
    app: AppDep,
    user: UserDep,
    name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    with app.store.transaction() as repo:
        made = credentials.create(repo, user, name, utcnow())
    return _page(request, app, user, made)


@router.post(PATH + "/{password_id}/delete")
def delete_app_password(password_id: int, app: AppDep, user: UserDep) -> RedirectResponse:
    with app.store.transaction() as repo:
        repo.delete_app_password(user.id, password_id)
    return RedirectResponse(PATH, status_code=303)
