"""Register, log in (wrong password, throttling), log out, CSRF, roles, API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI
from starlette.testclient import TestClient

from newsdesk import accounts
from newsdesk.dates import utcnow
from newsdesk.store.users import User
from newsdesk.web import auth

from .accounts_app import PASSWORD, add_user, csrf, log_in, running


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    with running(tmp_path / "web.db") as built:

        @built.get("/whoami")
        def whoami(user: auth.UserDep) -> dict[str, str]:
            return {"name": user.name}

        @built.get("/admin-only")
        def admin_only(user: auth.AdminDep) -> dict[str, str]:
            return {"name": user.name}

        @built.get("/api/v1/me")
        def me(user: User = Depends(auth.require_token_user)) -> dict[str, str]:  # noqa: B008
            return {"name": user.name}

        yield built


def test_register_logs_in_and_sets_a_safe_cookie(app: FastAPI) -> None:
    client = TestClient(app)
    form = {"name": "ada", "password": PASSWORD, "confirm": PASSWORD}
    answer = client.post(
        "/register", data={**form, "csrf_token": csrf(client, "/register")}, follow_redirects=False
    )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "newsdesk_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # http in tests; https gets Secure
    assert client.get("/whoami").json() == {"name": "ada"}
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        user = repo.user_by_name("ada")
    assert user is not None and user.role == "member"
    assert user.password_hash.startswith("$argon2")


def test_register_errors_are_shown(app: FastAPI) -> None:
    add_user(app, "taken")
    client = TestClient(app)
    token = csrf(client, "/register")
    cases = {
        ("taken", PASSWORD, PASSWORD): "is taken",
        ("x", PASSWORD, PASSWORD): "3 to 32",
        ("bob", "short", "short"): "at least 8",
        ("bob", PASSWORD, PASSWORD + "!"): "differ",
    }
    for (name, password, confirm), message in cases.items():
        form = {"name": name, "password": password, "confirm": confirm, "csrf_token": token}
        answer = client.post("/register", data=form)
        assert answer.status_code == 422
        assert message in answer.text and 'role="alert"' in answer.text


def test_login_wrong_password_then_right(app: FastAPI) -> None:
    add_user(app, "grace")
    client = TestClient(app)
    form = {"name": "grace", "password": "wrong password", "csrf_token": csrf(client)}
    answer = client.post("/login", data=form)
    assert answer.status_code == 401 and "Wrong name or password." in answer.text
    assert client.get("/whoami").status_code == 401
    form["password"] = PASSWORD
    answer = client.post("/login", data={**form, "next": "/whoami"})
    assert answer.json() == {"name": "grace"}


def test_login_redirects_only_to_local_paths(app: FastAPI) -> None:
    add_user(app, "grace")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        client = TestClient(app)  # a login rotates the CSRF token: one client per try
        form = {"name": "grace", "password": PASSWORD, "csrf_token": csrf(client)}
        answer = client.post("/login", data={**form, "next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/"


def test_login_is_throttled_after_five_failures(app: FastAPI) -> None:
    add_user(app, "linus")
    client = TestClient(app)
    form = {"name": "linus", "password": "nope nope", "csrf_token": csrf(client)}
    for _ in range(accounts.MAX_USER_FAILURES):
        assert client.post("/login", data=form).status_code == 401
    locked = client.post("/login", data={**form, "password": PASSWORD})
    assert locked.status_code == 429 and "locked for 15 minutes" in locked.text
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        user = repo.user_by_name("linus")
    assert user is not None and user.locked_until is not None and user.locked_until > utcnow()


def test_logout_ends_the_session(app: FastAPI) -> None:
    add_user(app, "ken")
    client = log_in(app, "ken")
    token = csrf(client, "/login")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 200
    assert client.get("/whoami").status_code == 401


def test_post_without_csrf_token_is_refused(app: FastAPI) -> None:
    add_user(app, "ken")
    fresh = TestClient(app)  # no CSRF cookie yet
    answer = fresh.post("/login", data={"name": "ken", "password": PASSWORD})
    assert answer.status_code == 403 and "security token (CSRF)" in answer.text
    client = log_in(app, "ken")
    for data in ({}, {"csrf_token": "forged"}):
        assert client.post("/logout", data=data).status_code == 403
    assert client.get("/whoami").json() == {"name": "ken"}  # still logged in
    # Another visitor's valid token does not work here either.
    assert client.post("/logout", data={"csrf_token": csrf(TestClient(app))}).status_code == 403


def test_roles(app: FastAPI) -> None:
    add_user(app, "member1")
    add_user(app, "boss", role="admin")
    assert log_in(app, "member1").get("/admin-only").status_code == 403
    assert log_in(app, "boss").get("/admin-only").json() == {"name": "boss"}


def test_api_token_user(app: FastAPI) -> None:
    add_user(app, "bot")
    token = accounts.new_api_token()
    with app.state.newsdesk.store.transaction() as repo:
        user = repo.user_by_name("bot")
        assert user is not None
        repo.create_api_token(accounts.token_hash(token), user.id, "test", utcnow())
    client = TestClient(app)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json() == {
        "name": "bot"
    }
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"})
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    # A session cookie does not authenticate the API.
    assert log_in(app, "bot").get("/api/v1/me").status_code == 401


def test_cli_creates_users_and_tokens(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsdesk.cli import cli

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    made = runner.invoke(
        cli, ["--db", db, "user", "create", "root", "--admin", "--password-stdin"], PASSWORD + "\n"
    )
    assert made.exit_code == 0, made.output
    assert "created admin root" in made.output
    again = runner.invoke(cli, ["--db", db, "user", "create", "root", "--password-stdin"], "x" * 9)
    assert again.exit_code == 1
    token = runner.invoke(cli, ["--db", db, "user", "token", "root"])
    assert token.exit_code == 0 and token.output.startswith("nd_")
    missing = runner.invoke(cli, ["--db", db, "user", "token", "nobody"])
    assert missing.exit_code == 1


def test_cli_and_web_refuse_the_same_names_and_passwords(app: FastAPI, tmp_path: Path) -> None:
    """One set of account rules (newsdesk.accounts): the CLI and the register form agree."""
    from typer.testing import CliRunner

    from newsdesk.cli import cli

    db, runner = str(tmp_path / "rules.db"), CliRunner()
    client = TestClient(app)
    token = csrf(client, "/register")
    for name, password in (("x y", PASSWORD), ("bob", "short")):
        why = accounts.name_problem(name) or accounts.password_problem(password)
        assert why is not None
        args = ["--db", db, "user", "create", name, "--password-stdin"]
        made = runner.invoke(cli, args, password)
        assert made.exit_code == 2 and why in " ".join(made.output.split()), made.output
        form = {"name": name, "password": password, "confirm": password, "csrf_token": token}
        assert why in client.post("/register", data=form).text
