"""Repo: every repository of the store, bound to one transaction (see Store.transaction)."""

from __future__ import annotations

from newsdesk.store.articles import ArticleRepo
from newsdesk.store.search import SearchRepo
from newsdesk.store.sources import SourceRepo
from newsdesk.store.stats import StatsRepo


class Repo(ArticleRepo, SearchRepo, SourceRepo, StatsRepo):
    """Articles, dedup state, search, sources and stats, all inside one transaction."""
