"""The sections a story can be filed under, and their URL form: shared by enrich, web and CLI."""

from __future__ import annotations

SECTIONS = (
    "World", "Politics", "Business", "Technology", "Science", "Health", "Sports", "Entertainment",
)  # fmt: skip
DEFAULT = "World"  # the general desk: what fits no other section


def slug(section: str) -> str:
    """The URL form of a section or country: "United States" -> "united-states"."""
    return "-".join("".join(c if c.isalnum() else " " for c in section.casefold()).split())
