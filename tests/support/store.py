"""Helpers for the store tests: fake MinHash signatures and the article factory's type."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.models import NewArticle

ArticleFactory = Callable[..., NewArticle]


def signature(seed: int, n: int = 8) -> bytes:
    """A fake MinHash signature: n little-endian uint32 values derived from seed."""
    return b"".join(((seed * 7919 + i) % 2**32).to_bytes(4, "little") for i in range(n))
