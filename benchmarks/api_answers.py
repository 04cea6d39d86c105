"""What turning a read model into the API's answer costs, four ways (not a test).

    .venv/bin/python benchmarks/api_answers.py [--coverage 40] [--calls 300]

An article and a story of --coverage articles are read once from a synthetic SQLite store
(tests/support/synthetic.py); then each way of answering them is timed, best of 7 runs of
--calls calls, after the read (the read itself is the same for all four):

- dict: the route returns read.to_json(view) and FastAPI runs jsonable_encoder over it
  (how the API answered before its operations declared their schemas);
- shaped: read.to_json(view) in a JSONResponse, the schema declared by response_model but the
  body not checked against it (how the API answers now: web/api/shapes.shaped);
- validated: the same dict, validated and re-encoded by FastAPI against response_model;
- dataclass: the read model itself, encoded by FastAPI from response_model (writes UTC as "Z",
  not the read models' "+00:00": not what clients get today).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, serialize_response

from newsdesk import read
from newsdesk.store import Store

ROOT = Path(__file__).resolve().parents[1]


def views(coverage: int) -> dict[str, Any]:
    """An article (with its brief, sightings and tags) and a story of coverage articles."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support.synthetic import build_stories

    db = Path(tempfile.mkdtemp(prefix="api-answers-")) / "news.db"
    with Store.open(f"sqlite:///{db}") as store:
        with store.transaction() as repo:
            built = build_stories(repo, 1, coverage)
        with store.transaction(readonly=True) as repo:
            return {
                "article": read.article(repo, built.article_ids[0]),
                f"story ({coverage} coverage)": read.story(
                    repo, built.story_ids[0], limit=coverage
                ),
            }


def ways(view: Any) -> dict[str, Callable[[], JSONResponse]]:
    app = FastAPI()
    app.add_api_route("/", lambda: None, response_model=type(view))
    route = app.routes[-1]
    assert isinstance(route, APIRoute)
    field = route.response_field
    loop = asyncio.new_event_loop()

    def declared(content: Any) -> JSONResponse:
        return JSONResponse(
            loop.run_until_complete(serialize_response(field=field, response_content=content))
        )

    return {
        "dict (before)": lambda: JSONResponse(jsonable_encoder(read.to_json(view))),
        "shaped (now)": lambda: JSONResponse(read.to_json(view)),
        "validated": lambda: declared(read.to_json(view)),
        "dataclass": lambda: declared(view),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coverage", type=int, default=40)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    print(f"{'answer':24} {'way':16} {'bytes':>7} {'us/answer':>10}")
    for name, view in views(args.coverage).items():
        for way, answer in ways(view).items():
            size = len(bytes(answer().body))
            best = min(timeit.repeat(answer, number=args.calls, repeat=7)) / args.calls
            print(f"{name:24} {way:16} {size:7d} {best * 1e6:10.0f}")


if __name__ == "__main__":
    main()
