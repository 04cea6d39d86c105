"""Article read models: one article (with sightings, story, tags, brief) and article cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.read.pictures import picture
from newsdesk.read.shapes import Article, ArticleCard, Seen

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store import Repo
    from newsdesk.store.catalog import ArticleRow


def article(repo: Repo, article_id: int) -> Article:
    """The article with this id (NotFoundError when none). A near-duplicate is shown as itself,
    with its canonical's story, tags, entities and brief. Two queries."""
    page = repo.article_page_row(article_id)  # with its brief, story, picture, tags, entities
    found, brief = page.article, page.brief
    stored_tags, entities = page.tags, page.entities
    # The brief's hashtags are the stored tags in order of salience; the store's are sorted.
    tags = brief.hashtags if brief is not None and brief.hashtags else tuple(stored_tags)
    return Article(
        id=found.id,
        external_id=found.external_id,
        url=found.url,
        source=found.source,
        title=found.title,
        byline=found.byline,
        published=found.published,
        published_approx=found.published_approx,
        modified=found.modified,
        lang=found.lang,
        text=found.text,
        duplicate_of=page.duplicate_of,
        story_id=page.story_id,
        sightings=tuple(
            Seen(s.source, s.url, s.title, s.published, s.seen_at) for s in found.sightings
        ),
        tags=tuple(tags),
        entities=tuple(entities),
        brief=brief,
        picture=picture(page.picture),
    )


def article_cards(rows: Sequence[ArticleRow]) -> list[ArticleCard]:
    """Cards for the rows of a store listing (catalog.list_articles, listing.articles_by_*),
    pictures included: the rows carry them."""
    return [
        ArticleCard(
            id=r.id,
            title=r.title,
            source=r.source,
            url=r.url,
            published=r.published,
            published_approx=r.published_approx,
            modified=r.modified,
            lang=r.lang,
            picture=picture(r.picture),
        )
        for r in rows
    ]


def article_cards_for(repo: Repo, article_ids: Sequence[int]) -> list[ArticleCard]:
    """Cards for articles named by id, in that order (missing ids left out), pictures
    included: one query per ID_BATCH ids."""
    return article_cards(repo.article_rows(article_ids))
