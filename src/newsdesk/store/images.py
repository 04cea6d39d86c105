"""Lead images: which article's picture a card shows, and the image proxy's verdict on each.

An article's image is shown unless the proxy found it unusable (image_checks.ok false): a card
then has no picture rather than a broken one, and the proxy does not ask the host again
until the check is older than the caller's retry age.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, insert, select

from newsdesk.dates import utcnow
from newsdesk.store.bound import Bound
from newsdesk.store.schema import articles, image_checks, story_articles

MAX_REASON = 300


@dataclass(frozen=True, slots=True)
class ImageSource:
    """What the proxy needs of an article's lead image, and its last verdict (None: never)."""

    article_id: int
    url: str
    alt: str | None
    ok: bool | None
    checked_at: datetime | None
    reason: str | None = None  # why it failed


@dataclass(frozen=True, slots=True)
class PictureRef:
    """The article whose lead image stands for a card, and that image's alt text."""

    article_id: int
    alt: str | None


def picture_shown() -> ColumnElement[bool]:
    """Articles with an image the proxy has not refused: the one rule of every card and page
    (a probe of image_checks by key, so it needs no join to it)."""
    refused = (
        exists()
        .where(image_checks.c.article_id == articles.c.id, image_checks.c.ok.is_(False))
        .correlate(articles)
    )
    return and_(articles.c.image.is_not(None), ~refused)


class ImageRepo(Bound):
    def image_source(self, article_id: int) -> ImageSource | None:
        """The article's lead image and the last check of it; None when it has none."""
        query = (
            select(
                articles.c.id,
                articles.c.image,
                articles.c.image_alt,
                image_checks.c.ok,
                image_checks.c.checked_at,
                image_checks.c.reason,
            )
            .select_from(articles.outerjoin(image_checks))
            .where(articles.c.id == article_id, articles.c.image.is_not(None))
        )
        row = self._conn.execute(query).first()
        if row is None:
            return None
        ok = None if row.ok is None else bool(row.ok)
        return ImageSource(row.id, row.image, row.image_alt, ok, row.checked_at, row.reason)

    def record_image_check(self, article_id: int, ok: bool, reason: str | None = None) -> None:
        """The proxy's verdict on the article's image, replacing the last one."""
        said = " ".join(reason.split())[:MAX_REASON] if reason else None
        self._conn.execute(delete(image_checks).where(image_checks.c.article_id == article_id))
        self._conn.execute(
            insert(image_checks).values(
                article_id=article_id, ok=ok, reason=said, checked_at=utcnow()
            )
        )

    def story_pictures(self, story_ids: Sequence[int]) -> dict[int, PictureRef]:
        """Each story's picture in one query: among its articles with a usable image, one the
        proxy has already served first, then the earliest stored. Stories with none are left
        out."""
        wanted = list(dict.fromkeys(story_ids))
        if not wanted:
            return {}
        served_first = case((image_checks.c.ok.is_(None), 1), else_=0)
        rank = (
            func.row_number()
            .over(
                partition_by=story_articles.c.story_id,
                order_by=(served_first, articles.c.id),
            )
            .label("rank")
        )
        ranked = (
            select(story_articles.c.story_id, articles.c.id, articles.c.image_alt, rank)
            .select_from(
                story_articles.join(
                    articles, articles.c.id == story_articles.c.article_id
                ).outerjoin(image_checks, image_checks.c.article_id == articles.c.id)
            )
            .where(story_articles.c.story_id.in_(wanted), picture_shown())
            .subquery()
        )
        query = select(ranked.c.story_id, ranked.c.id, ranked.c.image_alt).where(ranked.c.rank == 1)
        return {
            row.story_id: PictureRef(row.id, row.image_alt) for row in self._conn.execute(query)
        }
