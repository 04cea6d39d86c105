"""Which workers are alive: each worker writes a Redis key that lives a minute, renewed often.

With no Redis set, workers_seen asks the workers themselves over the broker (Celery's ping),
which only lists those that answer within a second.
"""

from __future__ import annotations

import logging
import threading

from newsdesk.config import Settings

log = logging.getLogger("newsdesk.distributed")

SEEN_SECONDS = 60  # a worker not heard from for this long is no longer listed
BEAT_SECONDS = 15.0
PING_TIMEOUT = 1.0


def _key(settings: Settings, worker: str = "*") -> str:
    return f"{settings.redis_prefix}worker:{worker}"


def beat_once(settings: Settings, worker: str) -> None:
    """Record that this worker is alive now (a no-op with no Redis set)."""
    if not settings.redis_url:
        return
    import redis

    with redis.Redis.from_url(settings.redis_url, socket_timeout=2.0) as client:
        client.set(_key(settings, worker), "alive", ex=SEEN_SECONDS)


def start_beating(settings: Settings, worker: str) -> threading.Event:
    """Beat every BEAT_SECONDS on a daemon thread until the returned event is set."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                beat_once(settings, worker)
            except Exception as exc:  # Redis away for a while: say so, keep beating
                log.warning("heartbeat of %s not written: %s", worker, exc)
            stop.wait(BEAT_SECONDS)

    threading.Thread(target=run, name="newsdesk-heartbeat", daemon=True).start()
    return stop


def forget(settings: Settings, worker: str) -> None:
    """A worker that stops cleanly leaves the list at once."""
    if not settings.redis_url:
        return
    import redis

    with redis.Redis.from_url(settings.redis_url, socket_timeout=2.0) as client:
        client.delete(_key(settings, worker))


def workers_seen(settings: Settings) -> list[str]:
    """The names of the workers seen in the last minute, sorted."""
    if settings.redis_url:
        import redis

        prefix = _key(settings, "")
        with redis.Redis.from_url(settings.redis_url, socket_timeout=2.0) as client:
            keys = client.scan_iter(match=_key(settings), count=500)
            return sorted(k.decode()[len(prefix) :] for k in keys)
    if not settings.broker_url:
        return []
    from newsdesk.distributed.celery_app import make_celery

    celery = make_celery(settings)
    try:
        replies = celery.control.ping(timeout=PING_TIMEOUT)
    finally:
        celery.close()
    return sorted(name for reply in replies or [] for name in reply)
