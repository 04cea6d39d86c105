"""The image proxy against a real local server: real PNG and JPEG files made with Pillow, and
the images a hostile or broken host serves (too big, not an image, a bomb, a redirect to a
private address, a slow drip), the verdicts kept in the store and the thumbnails on disk."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from localserver import LocalServer, loopback_settings, reply, running_server
from newsdesk.config import Settings
from newsdesk.fetch.guard import AddressPolicy
from newsdesk.models import Fingerprint, NewArticle
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.image_cache import ImageCache, cache_dir_for
from newsdesk.web.images import PLACEHOLDER, ImageProxy, Outcome, file_name
from newsdesk.web.thumbs import MAX_PIXELS, ImageRejected, make_thumbnails

WAIT = 20.0  # seconds: the longest any one proxy fetch here may take


def picture(kind: str = "PNG", size: tuple[int, int] = (1200, 900), **save: object) -> bytes:
    """A real image file: a gradient, so resizing has something to do."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def serve(server: LocalServer, path: str, body: bytes, kind: str = "image/png") -> None:
    def route(h: BaseHTTPRequestHandler) -> None:
        reply(h, 200, body, {"Content-Type": kind})

    server.routes[path] = route


def add_article(store: Store, image: str | None, n: int = 1) -> int:
    fingerprint = Fingerprint(content_hash=f"h{n}", signature=b"\x00" * 32, band_keys=())
    article = NewArticle(
        source="Example News",
        title=f"Article {n}",
        text="Some text.",
        fingerprint=fingerprint,
        image=image,
        image_alt="A tram on the bridge" if image else None,
    )
    with store.transaction() as repo:
        return repo.insert_article(article)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return loopback_settings(db=str(tmp_path / "news.db"), total_timeout=3.0)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings.db_url) as opened:
        yield opened


@pytest.fixture
def proxy(settings: Settings, store: Store) -> Iterator[ImageProxy]:
    made = ImageProxy(settings, store)
    yield made
    made.close()


def run(proxy: ImageProxy, store: Store, article_id: int) -> Outcome:
    with store.transaction(readonly=True) as repo:
        source = repo.image_source(article_id)
    assert source is not None
    return proxy.thumbnails(source).result(timeout=WAIT)


def verdict(store: Store, article_id: int) -> tuple[bool | None, str | None]:
    with store.transaction(readonly=True) as repo:
        source = repo.image_source(article_id)
    assert source is not None
    return source.ok, source.reason


def test_png_becomes_webp_thumbnails_on_disk(
    server: LocalServer, store: Store, proxy: ImageProxy, settings: Settings
) -> None:
    serve(server, "/a.png", picture("PNG"))
    url = server.url("/a.png")
    article = add_article(store, url)
    assert run(proxy, store, article) == Outcome(True)
    folder = cache_dir_for(settings)
    assert folder == Path(settings.db).with_name("news.db-images")
    for width, height in ((320, 180), (800, 450)):
        kept = (folder / file_name(url, width)).read_bytes()
        with Image.open(io.BytesIO(kept)) as thumb:
            assert (thumb.format, thumb.size) == ("WEBP", (width, height))
    assert verdict(store, article) == (True, None)


def test_jpeg_loses_its_metadata_and_keeps_its_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the stored 1200 x 600 is a 600 x 1200 portrait
    exif[0x010E] = "secret description"
    original = picture("JPEG", (1200, 600), exif=exif.tobytes())
    for thumb in make_thumbnails(original):
        assert b"secret description" not in thumb.data and b"Exif" not in thumb.data
        with Image.open(io.BytesIO(thumb.data)) as image:
            assert image.size == (thumb.width, thumb.height)
            assert not image.getexif()


def test_gif_and_transparent_png_are_read() -> None:
    gif = picture("GIF", (400, 300))
    clear = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(clear, "PNG")
    for data in (gif, clear.getvalue()):
        assert [t.width for t in make_thumbnails(data)] == [320, 800]
    # Transparency is laid on white, not black.
    with Image.open(io.BytesIO(make_thumbnails(clear.getvalue())[0].data)) as image:
        pixel = image.convert("RGB").getpixel((10, 10))
        assert isinstance(pixel, tuple) and min(pixel) > 240


@pytest.mark.parametrize(
    ("size", "reason"),
    [((30_000, 30_000), "decompression bomb"), ((8_000, 6_000), "over the")],
)
def test_decompression_bombs_are_refused_before_decoding(
    size: tuple[int, int], reason: str
) -> None:
    assert size[0] * size[1] > MAX_PIXELS
    started = time.monotonic()
    with pytest.raises(ImageRejected, match=reason):
        make_thumbnails(bomb_png(*size))
    assert time.monotonic() - started < 2.0  # nothing was inflated


def test_a_bomb_from_a_server_is_a_recorded_failure(
    server: LocalServer, store: Store, proxy: ImageProxy
) -> None:
    serve(server, "/bomb.png", bomb_png(30_000, 30_000))
    article = add_article(store, server.url("/bomb.png"))
    outcome = run(proxy, store, article)
    assert not outcome.ok and "decompression bomb" in (outcome.reason or "")
    assert verdict(store, article) == (False, outcome.reason)


def test_oversized_image_is_refused_at_the_cap(
    server: LocalServer, store: Store, settings: Settings, tmp_path: Path
) -> None:
    serve(server, "/big.jpg", picture("JPEG", (2000, 2000), quality=100), "image/jpeg")
    small = ImageProxy(settings.with_(image_max_bytes=50_000), store)
    try:
        article = add_article(store, server.url("/big.jpg"))
        outcome = run(small, store, article)
    finally:
        small.close()
    assert not outcome.ok and "50000-byte cap" in (outcome.reason or "")
    assert not any(cache_dir_for(settings).glob("*.webp"))


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (b"<html><body>Not found</body></html>", "text/html", "not an image the proxy serves"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "image/svg+xml"),
        (b"<html>a page that calls itself a PNG</html>", "image/png", "not a JPEG, PNG"),
        (picture("PNG")[:2000], "image/png", "damaged"),
    ],
)
def test_what_is_not_a_servable_image_is_refused(
    server: LocalServer, store: Store, proxy: ImageProxy, body: bytes, kind: str, reason: str
) -> None:
    serve(server, "/x", body, kind)
    article = add_article(store, server.url("/x"))
    outcome = run(proxy, store, article)
    assert not outcome.ok and reason in (outcome.reason or "")


def test_redirect_to_a_private_address_is_refused_with_the_guard_on(
    server: LocalServer, store: Store, settings: Settings
) -> None:
    def to_private(h: BaseHTTPRequestHandler) -> None:
        reply(h, 302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})

    server.routes["/go.png"] = to_private
    closed = settings.with_(allow_private_networks=False)
    policy = AddressPolicy.from_settings(closed, allowed_networks=["127.0.0.0/8"])
    guarded = ImageProxy(closed, store, policy=policy)
    try:
        article = add_article(store, server.url("/go.png"))
        outcome = run(guarded, store, article)
    finally:
        guarded.close()
    assert not outcome.ok and "refused" in (outcome.reason or "")
    assert "/latest/meta-data/" not in server.paths()


def test_a_slow_server_is_cut_at_the_deadline(
    server: LocalServer, store: Store, proxy: ImageProxy
) -> None:
    def drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "image/png")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        try:
            for _ in range(60):  # a byte every 0.1 s: six seconds if nobody hangs up
                h.wfile.write(b"\x00")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            return

    server.routes["/slow.png"] = drip
    article = add_article(store, server.url("/slow.png"))
    started = time.monotonic()
    outcome = run(proxy, store, article)
    assert not outcome.ok and "deadline" in (outcome.reason or "")
    assert time.monotonic() - started < 5.0  # total_timeout is 3 s


def test_a_host_that_cannot_be_reached_is_not_asked_again_at_once(
    store: Store, proxy: ImageProxy
) -> None:
    first = add_article(store, "http://pictures.nowhere.invalid/1.jpg", n=1)
    second = add_article(store, "http://pictures.nowhere.invalid/2.jpg", n=2)
    one = run(proxy, store, first)
    assert not one.ok and "cannot resolve" in (one.reason or "")
    two = run(proxy, store, second)
    assert not two.ok and "did not answer a moment ago" in (two.reason or "")
    assert verdict(store, second) == (False, two.reason)


def test_one_fetch_however_many_ask_at_once(
    server: LocalServer, store: Store, proxy: ImageProxy
) -> None:
    def slow_png(h: BaseHTTPRequestHandler) -> None:
        time.sleep(0.3)
        reply(h, 200, picture("PNG", (640, 360)), {"Content-Type": "image/png"})

    server.routes["/once.png"] = slow_png
    article = add_article(store, server.url("/once.png"))
    with store.transaction(readonly=True) as repo:
        source = repo.image_source(article)
    assert source is not None
    futures = [proxy.thumbnails(source) for _ in range(5)]
    assert all(f.result(timeout=WAIT).ok for f in futures)
    assert server.paths().count("/once.png") == 1


def test_disk_cache_deletes_the_oldest_past_its_cap(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache", max_bytes=2500)
    for n in range(4):
        cache.write(f"f{n}.webp", bytes([n]) * 1000)
        path = cache.path(f"f{n}.webp")
        stamp = 1_700_000_000 + n * 10
        os.utime(path, (stamp, stamp))
    cache.write("f4.webp", b"x" * 1000)  # over the cap: counted again, the oldest go
    kept = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert kept == ["f3.webp", "f4.webp"]
    assert cache.read("f0.webp") is None and cache.read("f4.webp") == b"x" * 1000


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def test_the_route_serves_caches_and_validates(
    server: LocalServer, client: TestClient, settings: Settings
) -> None:
    serve(server, "/r.png", picture("PNG"))
    with Store.open(settings.db_url) as store:
        article = add_article(store, server.url("/r.png"))
        bare = add_article(store, None, n=2)
    answer = client.get(f"/img/{article}/320")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/webp"
    assert answer.headers["cache-control"].startswith("public, max-age=")
    assert "img-src 'self';" in answer.headers["content-security-policy"]
    etag = answer.headers["etag"]
    with Image.open(io.BytesIO(answer.content)) as image:
        assert image.size == (320, 180)
    # The other width was made by the same fetch; both are read from disk from now on.
    assert client.get(f"/img/{article}/800").status_code == 200
    again = client.get(f"/img/{article}/320", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert server.paths().count("/r.png") == 1
    assert client.get(f"/img/{article}/500").status_code == 404
    assert client.get(f"/img/{bare}/320").status_code == 404
    assert client.get("/img/999999/320").status_code == 404


def test_a_failed_image_is_a_placeholder_and_is_not_fetched_again(
    server: LocalServer, client: TestClient, settings: Settings
) -> None:
    serve(server, "/gone.png", b"nope", "text/plain")
    with Store.open(settings.db_url) as store:
        article = add_article(store, server.url("/gone.png"))
    for _ in range(3):
        answer = client.get(f"/img/{article}/320")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "image/svg+xml"
        assert answer.content == PLACEHOLDER
    assert server.paths().count("/gone.png") == 1
    with Store.open(settings.db_url) as store, store.transaction(readonly=True) as repo:
        assert repo.article_rows([article])[0].picture is None  # cards leave it out
