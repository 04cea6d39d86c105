"""newsdesk: a self-hosted AI newsdesk."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from newsdesk.models import Extracted


def extract_article(html: str | bytes, url: str | None = None) -> Extracted:
    """Extract the clean article from a page; raises ExtractionError when there is none."""
    from newsdesk.extract import extract_article as _extract

    return _extract(html, url)


__all__ = ["__version__", "extract_article"]
