"""One Settings object, read from the environment (NEWSDESK_*) once, passed down, never global."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from newsdesk.errors import ConfigError

DEFAULT_DB = "newsdesk.db"
USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk; self-hosted news reader)"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of newsdesk. Environment: NEWSDESK_<FIELD NAME IN CAPITALS>."""

    db: str = DEFAULT_DB  # a path to a SQLite file, or a database URL
    # fetch
    allow_private_networks: bool = False  # let URLs reach loopback/private addresses (tests)
    max_bytes: int = 10 * 1024 * 1024  # cap on a response body, before and after decompression
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # a deadline for the whole response, against slow drips
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    per_host_delay: float = 1.0  # seconds between two requests to one host
    retries: int = 2  # extra tries on 429/5xx and connection errors
    backoff: float = 1.0  # first backoff in seconds, doubled each retry
    max_retry_after: float = 120.0  # never sleep longer than this on a Retry-After
    poll_interval: float = 3600.0  # seconds between two polls of a healthy source
    poll_round_seconds: float = 300.0  # time budget of one polling round (all due sources)
    poll_source_seconds: float = 60.0  # time budget of one source in a round, its pages included
    fetch_articles: bool = True  # fetch the page of a feed item that carries only a short summary
    # pipeline
    max_file_bytes: int = 200 * 1024 * 1024  # cap on what is read from one local file or stdin
    workers: int = 0  # extraction processes; 0 means one per CPU core
    # models
    enrich: bool = True  # write briefs and place articles in stories during ingest
    llm_base_url: str = ""  # an OpenAI-compatible endpoint for abstractive text; empty: off
    llm_model: str = ""
    llm_api_key: str = ""
    # web
    page_cache_seconds: float = 30.0  # how long anonymous readers may see a kept page; 0: off
    page_cache_stale_seconds: float = 300.0  # then served once more while it renders again
    page_cache_mb: int = 128  # memory for kept pages, per server process
    image_cache_dir: str = ""  # thumbnails of lead images; empty: "<db file>-images" beside it
    image_cache_mb: int = 512  # disk for thumbnails; the oldest written are deleted past it
    image_max_bytes: int = 5 * 1024 * 1024  # cap on an original image the proxy fetches
    # search: the ANN index over article vectors; empty: "<db file>-vectors.usearch" beside a
    # SQLite store, and in memory only (rebuilt by each process) for PostgreSQL
    vector_index: str = ""
    # digests by e-mail (newsdesk.digests): with no smtp_host, e-mail digests are off
    public_url: str = ""  # the site's address for links in e-mails, e.g. https://news.example.org
    smtp_host: str = ""
    smtp_port: int = 0  # 0: 587 with starttls, 465 with ssl, 25 with none
    smtp_security: str = "starttls"  # "starttls", "ssl" (implicit TLS) or "none" (a local relay)
    smtp_user: str = ""  # empty: no login
    smtp_password: str = ""
    smtp_from: str = ""  # the From address, e.g. "newsdesk <digest@news.example.org>"
    smtp_timeout: float = 30.0
    # distributed (issue 10): with no broker every stage runs locally, as in `make demo`
    broker_url: str = ""  # Celery broker, e.g. amqp://guest:guest@127.0.0.1:5672//; empty: local
    redis_url: str = ""  # shared page cache, scheduler lock, politeness; empty: per process
    redis_prefix: str = "newsdesk:"  # every key newsdesk writes in Redis starts with this
    page_cache_backend: str = "memory"  # "memory" (per process) or "redis" (needs redis_url)
    metrics: bool = False  # expose /metrics for Prometheus
    item_attempts: int = 3  # an item that fails this many times goes to the failed-items table
    queue_prefix: str = "newsdesk"  # queues are <prefix>.poll, .ingest, .enrich, .place
    # dedup
    near_dup_threshold: float = 0.35  # estimated shingle Jaccard; chosen on the dev split
    num_perm: int = 128
    shingle_size: int = 3

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from NEWSDESK_* variables, then explicit overrides (None means unset)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"NEWSDESK_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.name, str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        # Each value was coerced to its field's type above; a dict cannot say so to mypy.
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        # Keyword changes cannot be typed per field here; an unknown field is a TypeError.
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the store: a plain path becomes a SQLite URL."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser().resolve()}"


def _coerce(name: str, type_name: str, raw: str) -> object:
    try:
        if type_name == "bool":
            low = raw.strip().lower()
            if low in {"1", "true", "yes", "on"}:
                return True
            if low in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"NEWSDESK_{name.upper()}={raw!r} is not a valid {type_name}") from None
    return raw
