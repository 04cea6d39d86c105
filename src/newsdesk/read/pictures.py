"""Pictures as readers get them: through this site's image proxy, at fixed sizes, never by the
publisher's URL (a reader's browser asks no third party for anything)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from newsdesk.read.shapes import Picture

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store.images import PictureRef

CARD_WIDTH = 320  # on cards
PAGE_WIDTH = 800  # on story and article pages
WIDTHS = (CARD_WIDTH, PAGE_WIDTH)  # the only sizes the image proxy makes
ASPECT = (16, 9)  # every picture is cropped to this, so a page knows its height in advance


def height_for(width: int) -> int:
    """The height of a picture this wide."""
    return round(width * ASPECT[1] / ASPECT[0])


def picture(ref: PictureRef | None) -> Picture | None:
    """The picture of a store's PictureRef, with its proxy paths and sizes."""
    if ref is None:
        return None
    return Picture(
        article_id=ref.article_id,
        alt=ref.alt or "",
        src=f"/img/{ref.article_id}/{CARD_WIDTH}",
        width=CARD_WIDTH,
        height=height_for(CARD_WIDTH),
        large_src=f"/img/{ref.article_id}/{PAGE_WIDTH}",
        large_width=PAGE_WIDTH,
        large_height=height_for(PAGE_WIDTH),
    )


def pictures(refs: Mapping[int, PictureRef]) -> dict[int, Picture]:
    return {key: p for key, ref in refs.items() if (p := picture(ref)) is not None}
