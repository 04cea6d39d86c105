"""Story read models: the story (brief and one page of coverage) and story cards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.models import Brief, Cite, Teaser
from newsdesk.read.pictures import picture, pictures
from newsdesk.read.shapes import CoverageItem, CoveragePage, Story, StoryCard

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store import Repo, StorySummary

COVERAGE_PAGE = 50  # coverage articles per page of a story (HTML, API and CLI alike)
MAX_COVERAGE_PAGE = 200


def story(repo: Repo, story_id: int, *, offset: int = 0, limit: int = COVERAGE_PAGE) -> Story:
    """The story with this id or alias (NotFoundError when none): counts, dates and brief over
    all its coverage, and the page [offset, offset + limit) of that coverage; three queries
    whatever its size (the story with its brief, the page, the picture)."""
    head = repo.story_head(story_id)  # its row, size, breadth, dates and brief: one query
    current = head.id
    offset, limit = max(0, offset), max(1, min(limit, MAX_COVERAGE_PAGE))
    items = tuple(
        CoverageItem(
            id=c.id,
            source=c.source,
            title=c.title,
            url=c.url,
            published=c.published,
            published_approx=c.published_approx,
            modified=c.modified,
            lang=c.lang,
            why=c.reason,
            similarity=c.similarity,
        )
        for c in repo.story_coverage(current, limit=limit, offset=offset)
    )
    total = head.articles
    following = offset + limit if offset + limit < total else None
    return Story(
        id=current,
        title=head.title,
        articles=total,
        sources=head.sources,
        first_seen=head.first_seen,
        last_seen=head.last_seen,
        brief=head.brief,
        coverage=CoveragePage(items, total, offset, limit, following),
        picture=picture(repo.story_picture(current)),
        section=head.section,
        nation=head.nation,
    )


def story_cards(repo: Repo, rows: Sequence[StorySummary]) -> list[StoryCard]:
    """Cards for ranked stories (repo.list_stories or the ranking), the one builder of a story
    card: teasers, article counts, publishers and pictures read for all of them at once (four
    queries); title, breadth, dates and sections are the rows'."""
    ids = [s.id for s in rows]
    teasers = repo.story_teasers(ids)
    sizes = repo.story_sizes(ids)
    publishers = repo.story_publishers(ids)
    shown = pictures(repo.story_pictures(ids))
    cards = []
    for s in rows:
        teaser = teasers.get(s.id) or Teaser()
        cards.append(
            StoryCard(
                id=s.id,
                title=s.title,
                summary=teaser.lead,
                articles=sizes.get(s.id, 0),
                sources=s.sources,
                hashtags=tuple(teaser.hashtags),
                first_seen=s.first_seen,
                last_seen=s.last_seen,
                publishers=tuple(publishers.get(s.id, ())),
                picture=shown.get(s.id),
                section=s.section,
                nation=s.nation,
            )
        )
    return cards


def story_cards_for(repo: Repo, story_ids: Sequence[int]) -> list[StoryCard]:
    """Cards for stories named by current id, in that order (missing ids left out): their
    rows as a listing gives them, then story_cards; seven queries however many."""
    from newsdesk.store import StorySummary  # here: importing read must not load the store

    ids = list(dict.fromkeys(story_ids))
    found = repo.get_stories(ids)
    breadth = repo.story_breadths(ids)
    dates = repo.story_dates(ids)
    rows = [
        StorySummary(
            id=i,
            title=found[i].title,
            size=found[i].size,
            sources=breadth.get(i, 0),
            first_seen=dates.get(i, (None, None))[0],
            last_seen=dates.get(i, (None, None))[1],
            section=found[i].section,
            nation=found[i].nation,
        )
        for i in ids
        if i in found
    ]
    return story_cards(repo, rows)


def cited_sources(repo: Repo, brief: Brief | None) -> dict[int, str]:
    """The source of every article a story brief cites (for its citation links), one query."""
    if brief is None:
        return {}
    cites: list[Cite] = []
    for line in (*brief.summary, *brief.key_points):
        cites.extend(line.cites)
    for event in brief.timeline:
        cites.extend(event.cites)
    for who in brief.who:
        cites.extend(who.cites)
    for quote in brief.quotes:
        cites.extend(quote.cites)
    for figure in brief.figures:
        cites.extend(figure.cites)
    for angle in brief.angles:
        for line in angle.lines:
            cites.extend(line.cites)
    ids = [c.article_id for c in cites if c.article_id is not None]
    return {head.id: head.source for head in repo.article_heads(ids)}
