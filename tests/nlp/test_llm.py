"""Contract of the LLM seam against a real OpenAI-compatible server started on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from newsdesk.errors import NewsdeskError
from newsdesk.models import Cite, Line
from newsdesk.nlp.llm import OpenAICompatibleLLM, summarize_with_llm


class ChatServer(BaseHTTPRequestHandler):
    """/v1/chat/completions; what it answers is set per test in `mode` and `reply`."""

    mode: ClassVar[str] = "ok"
    reply: ClassVar[str] = ""
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ChatServer.seen.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.mode == "slow":
            time.sleep(0.5)
        if self.mode == "error":
            self._send(500, b'{"error": "boom"}')
        elif self.mode == "garbage":
            self._send(200, b"{not json")
        else:
            answer = {
                "choices": [{"index": 0, "message": {"role": "assistant", "content": self.reply}}]
            }
            self._send(200, json.dumps(answer).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (the timeout test)
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def base_url() -> Iterator[str]:
    ChatServer.mode, ChatServer.reply, ChatServer.seen = "ok", "", []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    server.daemon_threads = True  # the slow handler must not hold up the shutdown
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


LINES = (
    Line("Lindsay Lohan checked into the Betty Ford Center.", (Cite(0, 7), Cite(2, 9))),
    Line("She must stay 90 days under a court order.", (Cite(1, 7),)),
)
TEXTS = tuple(line.text for line in LINES)


def test_request_shape_and_reply(base_url: str) -> None:
    ChatServer.reply = "Hello [1]."
    llm = OpenAICompatibleLLM(base_url, "tiny-model", "sekret", timeout=5)
    assert llm.complete("sys", "user text") == "Hello [1]."
    [request] = ChatServer.seen
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sekret"
    assert request["body"]["model"] == "tiny-model"
    assert request["body"]["messages"] == [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "user text"},
    ]


def test_no_key_sends_no_authorization(base_url: str) -> None:
    ChatServer.reply = "x [1]"
    OpenAICompatibleLLM(base_url, "m", timeout=5).complete("s", "u")
    assert ChatServer.seen[0]["auth"] is None


def test_summary_keeping_citations_is_used(base_url: str) -> None:
    ChatServer.reply = "Lohan entered Betty Ford [1]. The court ordered a 90-day stay [2][1]."
    lines = summarize_with_llm(OpenAICompatibleLLM(base_url, "m", timeout=5), LINES, TEXTS)
    assert [line.text for line in lines] == [
        "Lohan entered Betty Ford.",
        "The court ordered a 90-day stay.",
    ]
    assert lines[0].cites == LINES[0].cites
    assert lines[1].cites == (Cite(1, 7), Cite(0, 7), Cite(2, 9))
    assert "[1] Lindsay Lohan checked into" in ChatServer.seen[0]["body"]["messages"][1]["content"]


@pytest.mark.parametrize(
    "reply",
    [
        "Lohan entered rehab.",  # cites nothing
        "Lohan entered rehab [3].",  # cites a sentence it was not given
        "Lohan entered rehab [1]. She also won an Oscar.",  # an uncited sentence
    ],
)
def test_summary_without_valid_citations_falls_back(base_url: str, reply: str) -> None:
    ChatServer.reply = reply
    lines = summarize_with_llm(OpenAICompatibleLLM(base_url, "m", timeout=5), LINES, TEXTS)
    assert lines == LINES


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("error", "answered HTTP 500"),
        ("garbage", "malformed JSON"),
        ("slow", "timed out after 0.2s"),
    ],
)
def test_failures_are_one_line_errors(base_url: str, mode: str, message: str) -> None:
    ChatServer.mode = mode
    llm = OpenAICompatibleLLM(base_url, "m", timeout=0.2)
    with pytest.raises(NewsdeskError, match=message) as caught:
        llm.complete("s", "u")
    assert str(caught.value).startswith("llm: ")
    assert "\n" not in str(caught.value)
    # summarize_with_llm is documented to fall back rather than raise
    assert summarize_with_llm(llm, LINES, TEXTS) == LINES


def test_reply_without_choices_is_an_error(base_url: str) -> None:
    ChatServer.reply = ""
    with pytest.raises(NewsdeskError, match="empty"):
        OpenAICompatibleLLM(base_url, "m", timeout=5).complete("s", "u")


def test_unreachable_endpoint_is_an_error() -> None:
    llm = OpenAICompatibleLLM("http://127.0.0.1:9/v1", "m", timeout=1)
    with pytest.raises(NewsdeskError, match="llm: request to"):
        llm.complete("s", "u")


def test_missing_settings_are_refused() -> None:
    with pytest.raises(NewsdeskError, match="base_url and model"):
        OpenAICompatibleLLM("", "m")
