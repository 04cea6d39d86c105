"""/admin/status and /metrics read the same status as `newsdesk status`: store counts, ingest
rate, failed items; with a broker, its queues (real RabbitMQ on 127.0.0.1) or why it is down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from localserver import loopback_settings
from newsdesk.config import Settings
from newsdesk.distributed import queues
from newsdesk.web.app import create_app

from .accounts_app import add_user, log_in

BROKER = "amqp://guest:guest@127.0.0.1:5672//"
NO_BROKER = "amqp://guest:guest@127.0.0.1:9//"  # nothing listens on port 9


def served(settings: Settings) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings)
    with TestClient(app) as anonymous:
        add_user(app, "admin", role="admin")
        yield app, anonymous


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[FastAPI, TestClient]]:
    yield from served(loopback_settings(db=str(tmp_path / "s.db"), metrics=True))


def test_status_page_is_for_admins_and_says_local(local: tuple[FastAPI, TestClient]) -> None:
    app, anonymous = local
    assert anonymous.get("/admin/status", follow_redirects=False).status_code in {303, 401, 403}
    page = log_in(app, "admin").get("/admin/status")
    assert page.status_code == 200
    assert "no broker set" in page.text and "Failed items" in page.text


def test_metrics_are_prometheus_text(local: tuple[FastAPI, TestClient]) -> None:
    _, anonymous = local
    answer = anonymous.get("/metrics")
    assert answer.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    for name in ["articles", "sources", "failed_items", "workers_seen", "broker_up"]:
        assert f"newsdesk_{name}" in families, name
    assert families["newsdesk_broker_up"].samples[0].value == 1.0


def test_metrics_are_off_unless_enabled(tmp_path: Path) -> None:
    for _, anonymous in served(loopback_settings(db=str(tmp_path / "off.db"))):
        assert anonymous.get("/metrics").status_code == 404


@pytest.mark.rabbitmq
def test_queues_of_a_real_broker_and_a_broker_that_is_down(tmp_path: Path) -> None:
    for app, _ in served(loopback_settings(db=str(tmp_path / "b.db"), broker_url=BROKER)):
        page = log_in(app, "admin").get("/admin/status").text
        assert all(name in page for name in queues.ALL)  # the default prefix
    for app, anonymous in served(
        loopback_settings(db=str(tmp_path / "d.db"), broker_url=NO_BROKER, metrics=True)
    ):
        page = log_in(app, "admin").get("/admin/status")
        assert page.status_code == 200 and "The broker did not answer" in page.text
        families = {
            f.name: f for f in text_string_to_metric_families(anonymous.get("/metrics").text)
        }
        assert families["newsdesk_broker_up"].samples[0].value == 0.0
