"""Article embeddings: one float32 vector per article, tagged with the model that made it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from newsdesk.errors import StoreError
from newsdesk.store.articles import ID_BATCH
from newsdesk.store.bound import Bound
from newsdesk.store.schema import article_vectors

VECTOR_DTYPE = np.dtype("<f4")


def vector_bytes(vector: np.ndarray) -> bytes:
    """A one-dimensional vector as little-endian float32 bytes; StoreError for another shape."""
    array = np.asarray(vector)
    if array.ndim != 1 or array.size == 0:
        raise StoreError(f"store: a vector must be one non-empty row, not shape {array.shape}")
    return array.astype(VECTOR_DTYPE, copy=False).tobytes()


def bytes_vector(data: bytes) -> np.ndarray:
    """The float32 vector vector_bytes wrote (a writable copy)."""
    return np.frombuffer(bytes(data), dtype=VECTOR_DTYPE).astype(np.float32)


class VectorRepo(Bound):
    def save_vector(self, article_id: int, vector: np.ndarray, model: str) -> None:
        """Store (or replace) the article's embedding and the name of the model behind it."""
        stmt = self._dialect.upsert(article_vectors, ["article_id"], ["model", "vector"])
        self._conn.execute(
            stmt, {"article_id": article_id, "model": model, "vector": vector_bytes(vector)}
        )

    def get_vectors(
        self, article_ids: Sequence[int], *, model: str | None = None
    ) -> dict[int, np.ndarray]:
        """The stored vectors of these articles (of model only, when given); absent ones omitted."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[int, np.ndarray] = {}
        for start in range(0, len(wanted), ID_BATCH):
            query = select(article_vectors.c.article_id, article_vectors.c.vector).where(
                article_vectors.c.article_id.in_(wanted[start : start + ID_BATCH])
            )
            if model is not None:
                query = query.where(article_vectors.c.model == model)
            for row in self._conn.execute(query):
                found[row.article_id] = bytes_vector(row.vector)
        return found
