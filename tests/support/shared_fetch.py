"""One fetching process for the shared-politeness tests (`python -m support.shared_fetch CONFIG`).

CONFIG is JSON: redis_url, prefix, delay, urls. The process builds its Fetcher, prints "ready",
waits for "go" on stdin (so every process starts at once), fetches the URLs in order and prints
one JSON line: "ok" or the error's class name for each."""

from __future__ import annotations

import json
import sys

from localserver import loopback_settings
from newsdesk.errors import FetchError
from newsdesk.fetch import Fetcher


def main() -> None:
    config = json.loads(sys.argv[1])
    settings = loopback_settings(
        redis_url=config["redis_url"],
        redis_prefix=config["prefix"],
        per_host_delay=config["delay"],
    )
    with Fetcher(settings) as fetcher:
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            return
        outcomes = []
        for url in config["urls"]:
            try:
                fetcher.fetch(url)
                outcomes.append("ok")
            except FetchError as exc:
                outcomes.append(type(exc).__name__)
    print(json.dumps(outcomes), flush=True)


if __name__ == "__main__":
    main()
