"""/admin/status (admins): queues, workers, ingest rate, failures; /metrics for Prometheus.

Both read one gatherer (newsdesk.distributed.status), the same one `newsdesk status` prints.
/metrics is off (404) unless the `metrics` setting is on.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector

from newsdesk.distributed.status import Status, gather
from newsdesk.web.auth import require_admin
from newsdesk.web.deps import AppDep, templates

router = APIRouter()


@router.get("/admin/status", response_class=HTMLResponse, dependencies=[Depends(require_admin)])
async def status_page(request: Request, app: AppDep) -> HTMLResponse:
    now = await run_in_threadpool(gather, app.settings, app.store)
    return templates.TemplateResponse(request, "admin_status.html", {"status": now})


@router.get("/metrics", include_in_schema=False)
async def metrics(app: AppDep) -> Response:
    if not app.settings.metrics:
        raise HTTPException(404, "Metrics are off: set NEWSDESK_METRICS=1 to expose them.")
    now = await run_in_threadpool(gather, app.settings, app.store)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_StatusCollector(now))
    ProcessCollector(registry=registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class _StatusCollector:
    """The status as Prometheus gauges, read once per scrape."""

    def __init__(self, status: Status) -> None:
        self.status = status

    def collect(self) -> Iterator[Metric]:
        s, a = self.status, self.status.activity
        for name, doc, value in [
            ("articles", "Article rows in the store, copies included.", a.articles),
            ("sources", "Subscribed sources.", a.sources),
            ("sources_failing", "Sources whose last poll failed.", a.sources_failing),
            (
                "ingest_articles_per_minute",
                "Articles stored per minute, last 10 min.",
                a.per_minute,
            ),
            ("failed_items", "Items in the failed-items table.", s.failed_items),
            ("workers_seen", "Workers seen in the last minute.", len(s.workers)),
            ("broker_up", "1 when the broker answered (always 1 locally).", s.broker_error is None),
        ]:
            yield GaugeMetricFamily(f"newsdesk_{name}", doc, value=float(value))
        messages = GaugeMetricFamily(
            "newsdesk_queue_messages", "Messages waiting per stage queue.", labels=["queue"]
        )
        consumers = GaugeMetricFamily(
            "newsdesk_queue_consumers", "Consumers per stage queue.", labels=["queue"]
        )
        for q in s.queues:
            messages.add_metric([q.name], q.messages)
            consumers.add_metric([q.name], q.consumers)
        yield messages
        yield consumers
