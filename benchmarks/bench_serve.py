"""The benchmarks' web server: uvicorn over an app factory, in a process (and session) of its
own, on a free port of 127.0.0.1; killed, not stopped, when the block ends, so that requests
still queued never spill into the next measurement."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_process(
    factory: str,
    env: dict[str, str],
    workers: int = 1,
    *,
    log: Path | None = None,
    start_s: float = 60.0,
) -> Iterator[int]:
    """The port of `uvicorn --factory factory` run with env, once it accepts connections
    (RuntimeError after start_s); its output goes to log when given."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning",
        "--no-access-log",
    ]  # fmt: skip
    out = log.open("a", encoding="utf-8") if log is not None else None
    # A session of its own: with --workers, uvicorn's worker processes must go with it.
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        deadline = time.monotonic() + start_s
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"uvicorn ({factory}) did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        if out is not None:
            out.close()


def vector_index_file(url: str, path: Path) -> None:
    """Build the store's vector index file once, before any server starts (as a deployment
    keeps it: NEWSDESK_VECTOR_INDEX): a server that finds none builds it on a thread while its
    searches answer by full text, uncached, which is not the search a benchmark measures."""
    import numpy as np

    from newsdesk.pipeline.enrich import EMBEDDING_MODEL
    from newsdesk.store import Store
    from newsdesk.store.ann import DIM, VectorIndex

    if path.exists():
        return
    started = time.perf_counter()
    index = VectorIndex(path, EMBEDDING_MODEL)
    probe = np.full(DIM, DIM**-0.5, dtype=np.float32)
    with Store.open(url, migrate=False) as store, store.engine.connect() as conn:
        index.nearest(conn, probe, 1, wait=None)
    seconds = time.perf_counter() - started
    print(f"vector index of {len(index)} vectors built in {seconds:.0f} s: {path}", file=sys.stderr)
