"""Read models: one per noun (story, story card, article, article card, source), each built by
one function from the store and shown alike by the pages, the JSON API and the CLI's --json.

    with store.transaction(readonly=True) as repo:
        view = story(repo, 42, offset=0, limit=50)   # a frozen dataclass
    print_json(to_json(view))                        # the same dict the API answers

Every builder reads in batches: a fixed number of queries whatever the number of rows
(see docs/operations.md, "Read models").
"""

from newsdesk.read.articles import article, article_cards, article_cards_for
from newsdesk.read.jsonable import to_json
from newsdesk.read.shapes import (
    Article,
    ArticleCard,
    CoverageItem,
    CoveragePage,
    Feed,
    Picture,
    Seen,
    Source,
    Story,
    StoryCard,
)
from newsdesk.read.sources import feed, source
from newsdesk.read.stories import (
    COVERAGE_PAGE,
    MAX_COVERAGE_PAGE,
    cited_sources,
    story,
    story_cards,
    story_cards_for,
)

__all__ = [
    "COVERAGE_PAGE",
    "MAX_COVERAGE_PAGE",
    "Article",
    "ArticleCard",
    "CoverageItem",
    "CoveragePage",
    "Feed",
    "Picture",
    "Seen",
    "Source",
    "Story",
    "StoryCard",
    "article",
    "article_cards",
    "article_cards_for",
    "cited_sources",
    "feed",
    "source",
    "story",
    "story_cards",
    "story_cards_for",
    "to_json",
]
