"""newsdesk serve: the web app on uvicorn, polling subscribed sources in the background."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from newsdesk.cli.root import _ctx, cli, out

POLL_EVERY = 60.0  # seconds between two looks for due sources


@cli.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_poll: Annotated[
        bool, typer.Option("--no-poll", help="Do not poll subscribed sources while serving.")
    ] = False,
) -> None:
    """Serve the web pages, the JSON API and Atom feeds; poll due sources every minute."""
    from newsdesk.web.app import create_app  # the web stack loads only for this command

    settings = _ctx(ctx).settings
    app = create_app(settings, poll_every=None if no_poll else POLL_EVERY)
    out.print(f"newsdesk serving on http://{host}:{port}/  (Ctrl+C to stop)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
