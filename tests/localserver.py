"""A real HTTP server on 127.0.0.1 with routes a test sets, recording what it got."""

from __future__ import annotations

import select
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsdesk.config import Settings

Route = Callable[[BaseHTTPRequestHandler], None]


def loopback_settings(**changes: Any) -> Settings:
    """Settings for tests against this server: loopback allowed, short timeouts, no politeness
    delay, no retries, one worker, no models; changes override any of them."""
    quick: dict[str, Any] = {
        "allow_private_networks": True,
        "per_host_delay": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 3.0,
        "total_timeout": 5.0,
        "retries": 0,
        "backoff": 0.01,
        "workers": 1,
        "enrich": False,
    }
    return Settings(**(quick | changes))


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.seen(Seen(path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(path)
        if route is None:
            reply(self, 404, b"not found")
        else:
            route(self)

    do_POST = do_GET  # a route reads the body itself when it needs it

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows stderr
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close joins every handler: nothing outlives the test

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.connections = 0
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def seen(self, request: Seen) -> None:
        with self._lock:
            self.requests.append(request)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self._lock:
            self.connections += 1  # every accepted connection, even one that never speaks
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-body is what half of these tests provoke


def reply(
    h: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """A complete response with Content-Length, closing the connection after it."""
    h.send_response(status)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(body)


def peer_closed(h: BaseHTTPRequestHandler, wait: float) -> bool:
    """Wait up to `wait` seconds; True as soon as the client has hung up."""
    sock: socket.socket = h.connection
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def stream_chunked(
    h: BaseHTTPRequestHandler, chunks: Iterator[bytes], headers: dict[str, str]
) -> None:
    """A chunked response from `chunks`, stopping when the client hangs up."""
    h.send_response(200)
    for name, value in headers.items():
        h.send_header(name, value)
    h.send_header("Transfer-Encoding", "chunked")
    h.send_header("Connection", "close")
    h.end_headers()
    try:
        for chunk in chunks:
            if chunk:
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        h.wfile.write(b"0\r\n\r\n")
    except OSError:
        return


@contextmanager
def running_server() -> Iterator[LocalServer]:
    """A LocalServer serving in a thread; shut down and joined on exit."""
    srv = LocalServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(10)


def gzip_bomb(mebibytes: int = 1024) -> Iterator[bytes]:
    """gzip of that many MiB of zeros, made lazily: compressed only as far as the client reads."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    for _ in range(mebibytes):
        yield packer.compress(zeros)
    yield packer.flush()


def rss(server: LocalServer, name: str, items: int = 3) -> bytes:
    """An RSS feed titled name whose items link to pages on this server."""
    body = "".join(
        f"<item><title>{name} story {i}</title><link>{server.url(f'/{name}/{i}')}</link>"
        f"<guid>{name}-{i}</guid><description>{name} report number {i}.</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>{server.url('/')}</link>{body}</channel></rss>"
    ).encode()


def serve_feed(server: LocalServer, path: str, status: int, body: bytes) -> None:
    """Answer path with status and body as RSS."""

    def route(h: BaseHTTPRequestHandler) -> None:
        reply(h, status, body, {"Content-Type": "application/rss+xml"})

    server.routes[path] = route
