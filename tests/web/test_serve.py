"""`newsdesk serve` as a user runs it: a real process on 127.0.0.1, one worker and several."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

START_TIMEOUT = 60.0
NEWSDESK = Path(sys.executable).with_name("newsdesk")  # the installed command


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"newsdesk serve exited with {proc.returncode} while starting")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"newsdesk serve did not answer within {START_TIMEOUT} s")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_pages_and_api_then_stops_on_sigint(tmp_path: Path, workers: int) -> None:
    port = _free_port()
    db = tmp_path / "served.db"
    cmd = [str(NEWSDESK), "--db", str(db), "serve"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    env = dict(os.environ, NEWSDESK_WORKERS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/", proc)
        home = httpx.get(base + "/", timeout=10)
        assert "newsdesk" in home.text.lower()
        assert httpx.get(base + "/api/v1/stories", timeout=10).json()["items"] == []
        assert httpx.get(base + "/story/12345", timeout=10).status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert f"serving on http://127.0.0.1:{port}/" in output.decode()
    assert proc.returncode == 0, output.decode()
