"""The optional LLM seam: any OpenAI-compatible chat endpoint, used only to reword cited text.

Every abstractive output must keep [n] citations to the numbered sentences it was given; a reply
that cites nothing, or cites a number it was not given, is refused and the extractive lines stay.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Protocol

import httpx

from newsdesk.errors import NewsdeskError
from newsdesk.models import Cite, Line

MAX_REPLY_BYTES = 1_000_000  # a chat reply for a brief is a few KB; more is a broken server
_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

SUMMARY_SYSTEM = (
    "You rewrite news sentences into a short, neutral summary. Use ONLY the numbered sentences "
    "you are given; add no facts. End every sentence you write with the numbers of the sentences "
    "it comes from, in square brackets, like [1] or [2][3]. Write 2 to 4 sentences."
)


class LLM(Protocol):
    """A chat model: a system and a user message in, the reply text out."""

    def complete(self, system: str, user: str) -> str: ...


class OpenAICompatibleLLM:
    """POST {base_url}/chat/completions (Ollama, llama.cpp server, vLLM, OpenAI...)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
    ) -> None:
        if not base_url or not model:
            raise NewsdeskError("llm: base_url and model must both be set")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self._api_key = api_key
        self._timeout = timeout
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Close the HTTP client this object made (a client passed in stays open)."""
        if self._owns_client:
            self._client.close()

    def complete(self, system: str, user: str) -> str:
        """The reply text; raises NewsdeskError ("llm: ...") on any transport or format failure."""
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0,
        }
        try:
            response = self._client.post(
                self.url, json=body, headers=headers, timeout=self._timeout
            )
        except httpx.TimeoutException as exc:
            raise NewsdeskError(f"llm: {self.url} timed out after {self._timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise NewsdeskError(f"llm: request to {self.url} failed: {exc}") from exc
        if response.status_code >= 400:
            raise NewsdeskError(f"llm: {self.url} answered HTTP {response.status_code}")
        if len(response.content) > MAX_REPLY_BYTES:
            raise NewsdeskError(f"llm: reply from {self.url} is over {MAX_REPLY_BYTES} bytes")
        return _content(response.content, self.url)


def _content(raw: bytes, url: str) -> str:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NewsdeskError(f"llm: malformed JSON reply from {url}") from exc
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise NewsdeskError(f"llm: reply from {url} has no choices[0].message.content") from exc
    if not isinstance(content, str) or not content.strip():
        raise NewsdeskError(f"llm: reply from {url} is empty")
    return content.strip()


def numbered(texts: Sequence[str]) -> str:
    """The sentences as the model sees them: one per line, "[n] text", n from 1."""
    return "\n".join(f"[{n}] {' '.join(text.split())}" for n, text in enumerate(texts, 1))


def cited_numbers(reply: str, allowed: int) -> tuple[int, ...] | None:
    """The [n] markers of reply, or None when it cites nothing or a number outside 1..allowed."""
    found = tuple(int(m) for m in _MARKER.findall(reply))
    if not found or any(n < 1 or n > allowed for n in found):
        return None
    return found


def strip_markers(text: str) -> str:
    return " ".join(_MARKER.sub("", text).split()).replace(" .", ".").replace(" ,", ",")


def summarize_with_llm(llm: LLM, lines: Sequence[Line], texts: Sequence[str]) -> tuple[Line, ...]:
    """Abstractive lines from ONLY texts (texts[i] backs lines[i]); the extractive lines on failure.

    Each sentence of the reply must end in [n] markers; its cites are those of the lines it names.
    """
    if len(texts) != len(lines):
        raise ValueError("summarize_with_llm: texts must match lines one to one")
    extractive = tuple(lines)
    if not lines:
        return extractive
    try:
        reply = llm.complete(SUMMARY_SYSTEM, "Sentences:\n" + numbered(texts))
    except NewsdeskError:
        return extractive
    if cited_numbers(reply, len(lines)) is None:
        return extractive
    written: list[Line] = []
    for sentence in _split_keeping_markers(reply):
        numbers = cited_numbers(sentence, len(lines))
        text = strip_markers(sentence)
        if not text:
            continue
        if numbers is None:  # an uncited sentence may carry facts from nowhere
            return extractive
        cites: list[Cite] = []
        for n in dict.fromkeys(numbers):
            cites.extend(c for c in lines[n - 1].cites if c not in cites)
        written.append(Line(text=text, cites=tuple(cites)))
    return tuple(written) or extractive


def _split_keeping_markers(reply: str) -> list[str]:
    """Sentences of the reply, each with the markers that follow its full stop ("x. [1] Y")."""
    # Move markers written after the full stop in front of it, so the split keeps them together.
    reply = re.sub(r"([.!?])((?:\s*\[\d{1,3}\])+)", r"\2\1", reply)
    return [part.strip() for part in _SENTENCE_END.split(reply) if part.strip()]
