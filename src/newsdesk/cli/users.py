"""Accounts from the command line: `user create NAME [--admin]`, `user token NAME`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from newsdesk.cli.root import _ctx, cli, err, handles_errors, out
from newsdesk.dates import utcnow
from newsdesk.errors import NotFoundError

user_cli = typer.Typer(help="Accounts: create users and API tokens.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")


@user_cli.command("create")
@handles_errors
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new user's name.")],
    admin: Annotated[bool, typer.Option("--admin", help="Give the user the admin role.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; the password is asked for (or read from stdin)."""
    # Imported here: argon2 is needed by no other command (start-up stays fast).
    from newsdesk import accounts

    problem = accounts.name_problem(name)
    if problem is not None:
        err.print(f"[red]error:[/] {escape(problem)}")
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = accounts.password_problem(password)
    if problem is not None:
        err.print(f"[red]error:[/] {escape(problem)}")
        raise typer.Exit(2)
    role = "admin" if admin else "member"
    password_hash = accounts.hash_password(password)
    with _ctx(ctx).app.store.transaction() as repo:
        user = repo.create_user(name, password_hash, role, utcnow())
    out.print(f"created {role} {user.name} (#{user.id})", highlight=False)


@user_cli.command("token")
@handles_errors
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user the token acts for.")],
    label: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
) -> None:
    """Print a new API token for the user, once: it cannot be shown again."""
    from newsdesk.accounts import new_api_token, token_hash

    secret = new_api_token()
    with _ctx(ctx).app.store.transaction() as repo:
        user = repo.user_by_name(name)
        if user is None:
            raise NotFoundError(f"no user {name!r}")
        repo.create_api_token(token_hash(secret), user.id, label, utcnow())
    print(secret)
