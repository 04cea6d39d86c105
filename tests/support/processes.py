"""newsdesk processes started by a test (workers, schedulers), read through their stderr."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


@dataclass
class Proc:
    """A newsdesk process started by a test; its stderr lines are kept as they come."""

    name: str
    popen: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _new: queue.Queue[str] = field(default_factory=queue.Queue)

    def read(self) -> None:
        assert self.popen.stderr is not None
        with self.popen.stderr:  # closed at the end of the process's output
            for line in self.popen.stderr:
                self.lines.append(line.rstrip("\n"))
                self._new.put(line)

    def wait_line(self, part: str, timeout: float) -> str:
        """The first stderr line containing part, waiting up to timeout seconds for it."""
        ends = time.monotonic() + timeout
        for line in list(self.lines):
            if part in line:
                return line
        while (left := ends - time.monotonic()) > 0:
            try:
                line = self._new.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.popen.poll() is not None and self._new.empty():
                    break
                continue
            if part in line:
                return line
        tail = "\n".join(self.lines[-30:])
        raise AssertionError(f"{self.name}: no line with {part!r} in {timeout} s; stderr:\n{tail}")

    def kill9(self) -> None:
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)


Start = Callable[..., Proc]  # start(name, *args, **env) -> Proc


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll check every 0.2 s until it holds, at most timeout seconds."""
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")
