"""`newsdesk serve` as a user runs it: a real process on 127.0.0.1, one worker and several."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from support.live import free_port, wait_until_up

START_TIMEOUT = 60.0
NEWSDESK = Path(sys.executable).with_name("newsdesk")  # the installed command


def _exited(proc: subprocess.Popen[bytes]) -> str | None:
    return None if proc.poll() is None else f"exited with {proc.returncode}"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_pages_and_api_then_stops_on_sigint(tmp_path: Path, workers: int) -> None:
    port = free_port()
    db = tmp_path / "served.db"
    cmd = [str(NEWSDESK), "--db", str(db), "serve"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    env = dict(os.environ, NEWSDESK_WORKERS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", lambda: _exited(proc), START_TIMEOUT, "newsdesk serve")
        home = httpx.get(base + "/", timeout=10)
        assert "newsdesk" in home.text.lower()
        assert httpx.get(base + "/api/v1/stories", timeout=10).json()["items"] == []
        assert httpx.get(base + "/story/12345", timeout=10).status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert f"serving on http://127.0.0.1:{port}/" in output.decode()
    assert proc.returncode == 0, output.decode()


def _workers(parent: int) -> set[int]:
    """The pids of uvicorn's worker processes under parent (multiprocessing spawn children)."""
    found = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue  # gone since the listing
            if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
                found.add(int(pid))
    return found


def _wait_for(what: str, check, deadline: float) -> None:  # type: ignore[no-untyped-def]
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree")
def test_a_killed_worker_is_logged_and_replaced(tmp_path: Path) -> None:
    """Readiness and replacement are waited for with a generous deadline (a loaded machine may
    take a minute to start a worker): the test checks what happens, not how fast."""
    port = free_port()
    cmd = [str(NEWSDESK), "--db", str(tmp_path / "served.db"), "serve", "--no-poll"]
    cmd += ["--port", str(port), "--workers", "2"]
    env = dict(os.environ, NEWSDESK_WORKERS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.decode(errors="replace") for line in proc.stdout or ()),
        daemon=True,
    )
    reader.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 4 * START_TIMEOUT
    try:
        wait_until_up(
            base + "/api/v1/stories", lambda: _exited(proc), START_TIMEOUT, "newsdesk serve"
        )
        _wait_for("two workers", lambda: len(_workers(proc.pid)) == 2, deadline)
        victim = min(_workers(proc.pid))
        os.kill(victim, signal.SIGKILL)
        _wait_for(
            "the death in the log",
            lambda: any(f"Child process [{victim}] died" in line for line in lines),
            deadline,
        )
        _wait_for(
            "a replacement",
            lambda: len(_workers(proc.pid) - {victim}) == 2,
            deadline,
        )
        replacement = (_workers(proc.pid) - {victim}).pop()
        _wait_for(
            "the replacement's start in the log",
            lambda: any(f"Started server process [{replacement}]" in x for x in lines),
            deadline,
        )
        assert httpx.get(base + "/api/v1/stories", timeout=10).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == 0, "".join(lines)
