"""Repo: every repository of the store, bound to one transaction (see Store.transaction)."""

from __future__ import annotations

from newsdesk.store.activity import ActivityRepo
from newsdesk.store.app_passwords import AppPasswordRepo
from newsdesk.store.articles import ArticleRepo
from newsdesk.store.briefs import BriefRepo
from newsdesk.store.bulk import BulkRepo
from newsdesk.store.catalog import CatalogRepo
from newsdesk.store.comments import CommentRepo
from newsdesk.store.digests import DigestRepo
from newsdesk.store.failures import FailureRepo
from newsdesk.store.followed import FollowedStoryRepo
from newsdesk.store.follows import FollowRepo
from newsdesk.store.images import ImageRepo
from newsdesk.store.listing import ListingRepo
from newsdesk.store.page_reads import PageReadRepo
from newsdesk.store.reader_items import ReaderItemRepo
from newsdesk.store.reading_state import ReadingStateRepo
from newsdesk.store.search import SearchRepo
from newsdesk.store.sources import SourceRepo
from newsdesk.store.stats import StatsRepo
from newsdesk.store.stories import StoryRepo
from newsdesk.store.story_links import StoryLinkRepo
from newsdesk.store.story_publishers import StoryPublisherRepo
from newsdesk.store.story_sections import StorySectionRepo
from newsdesk.store.tags import TagRepo
from newsdesk.store.users import UserRepo
from newsdesk.store.vectors import VectorRepo


class Repo(
    UserRepo,
    CommentRepo,
    StoryLinkRepo,
    TagRepo,
    ListingRepo,
    ReaderItemRepo,
    PageReadRepo,
    ArticleRepo,
    FollowedStoryRepo,
    StoryRepo,
    BriefRepo,
    VectorRepo,
    SearchRepo,
    SourceRepo,
    StatsRepo,
    CatalogRepo,
    BulkRepo,
    FailureRepo,
    ActivityRepo,
    ImageRepo,
    StoryPublisherRepo,
    StorySectionRepo,
    FollowRepo,
    ReadingStateRepo,
    AppPasswordRepo,
    DigestRepo,
):
    """Every noun of the store (articles to briefs), all inside one transaction."""
