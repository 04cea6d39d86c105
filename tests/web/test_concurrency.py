"""Many readers at once: every page is rendered (page cache off) and none waits forever for a
store connection (a bounded pool once deadlocked the app under 50 concurrent readers)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.testclient import TestClient

from newsdesk.web.app import create_app
from support.pages import PagesData

READERS = 80  # more than the worker threads (40) plus the connections a pool used to keep (15)


def test_eighty_concurrent_readers_are_all_served(pages_data: PagesData) -> None:
    built = create_app(pages_data.settings.with_(page_cache_seconds=0))
    paths = [f"/article/{i}" for i in pages_data.seed_ids] + ["/", "/search?q=Ukraine"]

    async def crowd() -> list[int]:
        transport = httpx.ASGITransport(app=built)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            asks = (client.get(paths[n % len(paths)]) for n in range(READERS))
            answers = await asyncio.wait_for(asyncio.gather(*asks), timeout=60)
        return [a.status_code for a in answers]

    with TestClient(built), ThreadPoolExecutor(1) as pool:  # lifespan on; a loop of its own
        statuses = pool.submit(asyncio.run, crowd()).result(timeout=90)
    assert statuses == [200] * READERS
