"""The store: SQLite (WAL, FTS5) by default, PostgreSQL (tsvector) at scale, one schema history.

with Store.open("sqlite:///newsdesk.db") as store:
    with store.transaction() as repo:
        article_id = repo.insert_article(new_article)
"""

from newsdesk.store.articles import ArticleHead
from newsdesk.store.database import Store
from newsdesk.store.repo import Repo
from newsdesk.store.stats import StoreStats
from newsdesk.store.stories import StoryRow, StorySummary
from newsdesk.store.story_links import StoryLink

__all__ = ["ArticleHead", "Repo", "Store", "StoreStats", "StoryLink", "StoryRow", "StorySummary"]
