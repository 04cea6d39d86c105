"""What the image proxy costs (issue 11; not a test).

    .venv/bin/python benchmarks/image_proxy.py [--rounds 20]

Makes real photos-like JPEGs and PNGs with Pillow (noise over a gradient, so they compress like
photographs), times make_thumbnails (decode, crop, both WebP widths) on each, median over
--rounds; then serves one image from a local HTTP server through the app's /img/ route: the
first request (fetch + thumbnails + disk), and a kept thumbnail read from disk, median over
--rounds requests, and a conditional request (304). Prints the thumbnail sizes too.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from PIL import Image
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from localserver import loopback_settings, reply, running_server  # noqa: E402
from newsdesk.models import Fingerprint, NewArticle  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.web.app import create_app  # noqa: E402
from newsdesk.web.thumbs import make_thumbnails  # noqa: E402

SIZES = ((1200, 800), (2400, 1600), (4000, 3000))


def photo(size: tuple[int, int], kind: str) -> bytes:
    noise = Image.effect_noise(size, 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(noise, gradient, 0.6)
    out = io.BytesIO()
    image.save(out, kind, **({"quality": 85} if kind == "JPEG" else {}))
    return out.getvalue()


def median_ms(work: object, rounds: int) -> float:
    """Median wall-clock milliseconds of work() over rounds calls."""
    return median_cpu_ms(work, rounds)[0]


def median_cpu_ms(work: object, rounds: int) -> tuple[float, float]:
    """Median (wall, CPU of this process) milliseconds of work(): CPU is the steadier figure
    on a shared machine."""
    wall, cpu = [], []
    for _ in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        work()  # type: ignore[operator]
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    print("make_thumbnails (320 and 800 px WebP), median ms wall / CPU:")
    for size in SIZES:
        for kind in ("JPEG", "PNG"):
            data = photo(size, kind)
            ms, cpu = median_cpu_ms(lambda data=data: make_thumbnails(data), rounds)
            thumbs = make_thumbnails(data)
            kb = ", ".join(f"{t.width} px {len(t.data) / 1024:.1f} KB" for t in thumbs)
            name = f"{kind} {size[0]}x{size[1]} ({len(data) / 1024:,.0f} KB)"
            print(f"  {name:26} {ms:7.1f} / {cpu:7.1f} ms  ({kb})")
    body = photo((2400, 1600), "JPEG")
    with running_server() as server, tempfile.TemporaryDirectory() as folder:

        def route(h: BaseHTTPRequestHandler) -> None:
            reply(h, 200, body, {"Content-Type": "image/jpeg"})

        server.routes["/photo.jpg"] = route
        settings = loopback_settings(db=str(Path(folder) / "bench.db"))
        with Store.open(settings.db_url) as store, store.transaction() as repo:
            article = repo.insert_article(
                NewArticle(
                    source="Bench",
                    title="Bench",
                    text="Bench.",
                    fingerprint=Fingerprint("bench", b"\x00" * 32, ()),
                    image=server.url("/photo.jpg"),
                )
            )
        with TestClient(create_app(settings)) as client:
            started = time.perf_counter()
            first = client.get(f"/img/{article}/320")
            cold = (time.perf_counter() - started) * 1000
            assert first.status_code == 200 and first.headers["content-type"] == "image/webp"
            etag = first.headers["etag"]
            hit = median_ms(lambda: client.get(f"/img/{article}/800"), rounds)
            same = median_ms(
                lambda: client.get(f"/img/{article}/320", headers={"If-None-Match": etag}), rounds
            )
    print(f"/img/ of a 2400x1600 JPEG ({len(body) / 1024:,.0f} KB) from a local server:")
    print(f"  first request (fetch, both thumbnails, disk): {cold:6.1f} ms")
    print(f"  kept thumbnail from disk, median:             {hit:6.1f} ms")
    print(f"  If-None-Match (304), median:                  {same:6.1f} ms")


if __name__ == "__main__":
    main()
