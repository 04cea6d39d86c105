"""Dedup: recognise the same article again by URL, exact text, or near-duplicate text.

Dedup never touches the store: it computes fingerprints and band keys, the store persists them
and hands back candidates, and dedup decides which candidate (if any) an article duplicates.
"""

from newsdesk.dedup.domains import registrable_domain
from newsdesk.dedup.minhash import MIN_WORDS, Deduper, lsh_params
from newsdesk.dedup.text import content_hash, normalize_text
from newsdesk.dedup.urls import canonicalize_url

__all__ = [
    "MIN_WORDS",
    "Deduper",
    "canonicalize_url",
    "content_hash",
    "lsh_params",
    "normalize_text",
    "registrable_domain",
]
