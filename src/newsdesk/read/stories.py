"""Story read models: the story (brief and one page of coverage) and story cards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from newsdesk.models import Brief, Cite, Teaser
from newsdesk.read.pictures import picture, pictures
from newsdesk.read.shapes import CoverageItem, CoveragePage, Picture, Story, StoryCard

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store import Repo, StorySummary

COVERAGE_PAGE = 50  # coverage articles per page of a story (HTML, API and CLI alike)
MAX_COVERAGE_PAGE = 200


def story(repo: Repo, story_id: int, *, offset: int = 0, limit: int = COVERAGE_PAGE) -> Story:
    """The story with this id or alias (NotFoundError when none): counts, dates and brief over
    all its coverage, and the page [offset, offset + limit) of that coverage; seven queries
    whatever its size, and its picture."""
    current = repo.resolve_story_id(story_id)
    row = repo.get_story(current)
    total = repo.story_sizes([current]).get(current, 0)
    first, last = repo.story_dates([current]).get(current, (None, None))
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
    following = offset + limit if offset + limit < total else None
    return Story(
        id=current,
        title=row.title,
        articles=total,
        sources=repo.story_breadths([current]).get(current, 0),
        first_seen=first,
        last_seen=last,
        brief=repo.get_brief(story_id=current),
        coverage=CoveragePage(items, total, offset, limit, following),
        picture=picture(repo.story_pictures([current]).get(current)),
        section=row.section,
        nation=row.nation,
    )


def story_cards(repo: Repo, rows: Sequence[StorySummary]) -> list[StoryCard]:
    """Cards for ranked stories (repo.list_stories or the ranking): teasers, article counts,
    publishers and pictures read for all of them at once (four queries)."""
    ids = [s.id for s in rows]
    teasers = repo.story_teasers(ids)
    sizes = repo.story_sizes(ids)
    publishers = repo.story_publishers(ids)
    shown = pictures(repo.story_pictures(ids))
    return [
        _card(
            s.id,
            s.title,
            sizes.get(s.id, 0),
            s.sources,
            teasers.get(s.id),
            s.first_seen,
            s.last_seen,
            publishers.get(s.id, ()),
            shown.get(s.id),
            (s.section, s.nation),
        )
        for s in rows
    ]


def story_cards_for(repo: Repo, story_ids: Sequence[int]) -> list[StoryCard]:
    """Cards for stories named by current id, in that order (missing ids left out): seven
    queries however many."""
    ids = list(dict.fromkeys(story_ids))
    found = repo.get_stories(ids)
    teasers = repo.story_teasers(ids)
    sizes = repo.story_sizes(ids)
    breadth = repo.story_breadths(ids)
    dates = repo.story_dates(ids)
    publishers = repo.story_publishers(ids)
    shown = pictures(repo.story_pictures(ids))
    cards = []
    for i in ids:
        if i not in found:
            continue
        first, last = dates.get(i, (None, None))
        cards.append(
            _card(
                i,
                found[i].title,
                sizes.get(i, 0),
                breadth.get(i, 0),
                teasers.get(i),
                first,
                last,
                publishers.get(i, ()),
                shown.get(i),
                (found[i].section, found[i].nation),
            )
        )
    return cards


def _card(
    story_id: int,
    title: str,
    articles: int,
    sources: int,
    teaser: Teaser | None,
    first_seen: datetime | None,
    last_seen: datetime | None,
    publishers: Sequence[str],
    shown: Picture | None,
    sections: tuple[str | None, str | None] = (None, None),
) -> StoryCard:
    teaser = teaser or Teaser()
    return StoryCard(
        id=story_id,
        title=title,
        summary=teaser.lead,
        articles=articles,
        sources=sources,
        hashtags=tuple(teaser.hashtags),
        first_seen=first_seen,
        last_seen=last_seen,
        publishers=tuple(publishers),
        picture=shown,
        section=sections[0],
        nation=sections[1],
    )


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
