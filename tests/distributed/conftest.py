"""Real workers against the real broker: RabbitMQ, PostgreSQL and Redis on 127.0.0.1.

Each test gets its own PostgreSQL schema, its own queue prefix (its queues are deleted after it)
and its own Redis key prefix (its keys are deleted after it). Workers and schedulers are
`newsdesk` processes started here and read through their stderr. Without CI=true a test skips
when a service does not answer; under CI=true that is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from support.processes import NEWSDESK, Proc, Start
from support.store import pg_schema

PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("NEWSDESK_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STAGES = ("poll", "ingest", "enrich", "place")


def _missing(what: str, why: object) -> None:
    message = f"{what} not reachable: {' '.join(str(why).split())}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _port_open(host: str, port: int) -> Exception | None:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        return exc
    return None


@pytest.fixture(scope="session")
def postgres_up() -> None:
    """PostgreSQL answers, or the test skips (fails under CI=true)."""
    url = make_url(PG_URL).set(drivername="postgresql")
    try:
        psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=3).close()
    except psycopg.Error as exc:
        _missing("PostgreSQL", exc)


@pytest.fixture(scope="session")
def brokers_up() -> None:
    """RabbitMQ and Redis answer, or the test skips (fails under CI=true)."""
    broker = make_url(BROKER_URL.replace("amqp://", "postgresql://", 1))
    if (refused := _port_open(broker.host or "127.0.0.1", broker.port or 5672)) is not None:
        _missing("RabbitMQ", refused)
    if (refused := _port_open("127.0.0.1", 6379)) is not None:
        _missing("Redis", refused)


@pytest.fixture
def pg_url(postgres_up: None) -> Iterator[str]:
    """A database URL on a fresh PostgreSQL schema, dropped afterwards."""
    with pg_schema(PG_URL) as url:
        yield url


@pytest.fixture
def desk_env(pg_url: str, brokers_up: None) -> Iterator[dict[str, str]]:
    """The environment of every newsdesk process of one test: its store, its queues, its keys."""
    tag = uuid.uuid4().hex[:10]
    env = {
        "NEWSDESK_DB": pg_url,
        "NEWSDESK_BROKER_URL": BROKER_URL,
        "NEWSDESK_QUEUE_PREFIX": f"test-{tag}",
        "NEWSDESK_REDIS_URL": REDIS_URL,
        "NEWSDESK_REDIS_PREFIX": f"test-{tag}:",
        "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "1",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_RETRIES": "0",
        "NEWSDESK_BACKOFF": "0.05",
        "NEWSDESK_ENRICH": "0",
        "NEWSDESK_LOG_LEVEL": "debug",  # a line per item stored (tests read them)
    }
    yield env
    _delete_queues(env["NEWSDESK_QUEUE_PREFIX"])
    _delete_keys(env["NEWSDESK_REDIS_PREFIX"])


def _delete_queues(prefix: str) -> None:
    from kombu import Connection, Exchange, Queue

    with Connection(BROKER_URL, connect_timeout=5) as conn:
        for stage in STAGES:
            Queue(f"{prefix}.{stage}", channel=conn.channel()).delete()
        Exchange(prefix, channel=conn.channel()).delete()


def _delete_keys(prefix: str) -> None:
    import redis

    with redis.Redis.from_url(REDIS_URL) as client:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)


@pytest.fixture
def start(desk_env: dict[str, str]) -> Iterator[Start]:
    """start(name, *args, **env) runs `newsdesk *args` in a session of its own; every process
    started is stopped (SIGTERM, then SIGKILL) when the test ends."""
    started: list[Proc] = []

    def run(name: str, *args: str, **env: str) -> Proc:
        popen = subprocess.Popen(
            [NEWSDESK, *args],
            env={**os.environ, **desk_env, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        proc = Proc(name, popen)
        threading.Thread(target=proc.read, daemon=True).start()
        started.append(proc)
        return proc

    yield run
    for proc in started:
        proc.stop()
