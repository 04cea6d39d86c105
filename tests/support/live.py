"""A free port on 127.0.0.1, and the real app served by uvicorn in a thread for a test's life."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

START_TIMEOUT = 20.0  # seconds for the server to answer its first request


def free_port() -> int:
    """A port nothing listens on at this moment, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI, name: str, ready_path: str = "/") -> Iterator[str]:
    """The app under uvicorn on a free port of 127.0.0.1 (its base URL) until the block ends;
    the server must answer ready_path with 200 within START_TIMEOUT, and stop within 10 s."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws="none",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"{name}-uvicorn", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(
            base_url + ready_path,
            lambda: None if thread.is_alive() else "stopped",
            what="the uvicorn server",
        )
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        assert not thread.is_alive(), "the uvicorn server did not stop"


def wait_until_up(
    url: str, gone: Callable[[], str | None], timeout: float = START_TIMEOUT, what: str = "server"
) -> None:
    """Poll url until it answers 200 (a bounded loop); gone() says why the server stopped
    (None while it runs), which ends the wait at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reason = gone()
        if reason is not None:
            raise RuntimeError(f"{what} {reason} while starting")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} at {url} did not answer within {timeout} s")
