"""A store of stories with pictures, their images served by a local HTTP server.

Images are real JPEG and PNG files made with Pillow. One story's only image is not an image
(the proxy refuses it), one story has no image at all: neither may ever show a broken box.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from PIL import Image, ImageDraw

from localserver import LocalServer, loopback_settings, reply
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store, StoryRow

COLOURS = ((32, 92, 160), (170, 60, 40), (40, 130, 80), (120, 80, 150))
# Per story: its title, and per article its publisher, hours ago, and image kind.
STORIES = (
    (
        "Ceasefire talks resume in Geneva",
        [
            ("AP", 5, "jpeg"),
            ("Reuters", 4, "jpeg"),
            ("BBC", 3, None),
            ("Le Monde", 2, "png"),
            ("NHK", 1, None),
            ("Al Jazeera", 1, None),
        ],
    ),
    ("Central bank holds rates steady", [("Bloomberg", 8, "png"), ("FT", 7, None)]),
    ("Storm closes mountain passes", [("Swissinfo", 30, "html")]),
    ("Local council approves tram line", [("Daily Example", 50, None)]),
)


@dataclass(frozen=True)
class PictureSite:
    settings: Settings
    story_ids: list[int]
    articles: dict[int, list[int]]  # story id -> its article ids, in STORIES order


def image_bytes(kind: str, colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    """A real image: a coloured field with a pale disc, so a thumbnail is recognisable."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w // 3, h // 4, w // 3 + h // 2, h // 4 + h // 2), fill=(235, 235, 225))
    out = io.BytesIO()
    image.save(out, "JPEG" if kind == "jpeg" else "PNG")
    return out.getvalue()


def serve_images(server: LocalServer) -> dict[str, str]:
    """Routes for every image the stories name; path -> URL."""
    urls: dict[str, str] = {}
    n = 0
    for _title, coverage in STORIES:
        for _source, _hours, kind in coverage:
            if kind is None:
                continue
            path = f"/pics/{n}.{kind}"
            if kind == "html":
                body, media = b"<html><body>Moved</body></html>", "text/html"
            else:
                body = image_bytes(kind, COLOURS[n % len(COLOURS)], (1200, 800 - 100 * (n % 3)))
                media = f"image/{kind}"
            server.routes[path] = _route(body, media)
            urls[f"{n}"] = server.url(path)
            n += 1
    return urls


def _route(body: bytes, media: str):  # type: ignore[no-untyped-def]
    def route(h: BaseHTTPRequestHandler) -> None:
        reply(h, 200, body, {"Content-Type": media})

    return route


def build_picture_site(folder: Path, server: LocalServer) -> PictureSite:
    """The store and settings (loopback open, no page cache) of the stories above."""
    settings = loopback_settings(
        db=str(folder / "pictures.db"),
        page_cache_seconds=0.0,
        page_cache_stale_seconds=0.0,
        image_cache_dir=str(folder / "img"),
    )
    urls = serve_images(server)
    now = utcnow()
    story_ids: list[int] = []
    articles: dict[int, list[int]] = {}
    n = 0
    with Store.open(settings.db_url) as store, store.transaction() as repo:
        for s, (title, coverage) in enumerate(STORIES, start=1):
            ids = []
            for a, (source, hours, kind) in enumerate(coverage):
                image = None
                if kind is not None:
                    image = urls[f"{n}"]
                    n += 1
                article = NewArticle(
                    source=source,
                    title=f"{title} ({source})",
                    text=f"{title}. Report {a} from {source}.",
                    fingerprint=Fingerprint(f"{s}-{a}", b"\x00" * 32, ()),
                    url=f"https://{source.lower().replace(' ', '')}.example/{s}/{a}",
                    published=now - timedelta(hours=hours),
                    image=image,
                    image_alt=f"Photo for {title.lower()}" if image else None,
                )
                ids.append(repo.insert_article(article))
            repo.upsert_story(StoryRow(id=s, title=title, size=len(ids)))
            for article_id in ids:
                repo.link_article(article_id, s, similarity=0.9, shared_entities=[], reason="test")
            story_ids.append(s)
            articles[s] = ids
    return PictureSite(settings, story_ids, articles)
