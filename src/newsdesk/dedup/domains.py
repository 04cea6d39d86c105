"""The registrable domain of a host, for the URL rules; it lives in newsdesk.domains."""

from __future__ import annotations

from newsdesk.domains import registrable_domain

__all__ = ["registrable_domain"]
