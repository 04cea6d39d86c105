"""The composition root: build(settings) picks the store, runner, fetcher and ingest pipeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING

from newsdesk.config import Settings
from newsdesk.pipeline.enrich import StoryDesk
from newsdesk.pipeline.ingest import Ingestor
from newsdesk.pipeline.prepare import Preparer
from newsdesk.pipeline.runner import LocalRunner
from newsdesk.store import Store

# The HTTP client, the poller and the LLM client load when first used: most commands never
# touch the network (the models, likewise, load in the stages that run them).
if TYPE_CHECKING:
    from newsdesk.fetch import Fetcher
    from newsdesk.nlp.llm import OpenAICompatibleLLM
    from newsdesk.pipeline.poll import Poller


@dataclass
class App:
    """Everything a command needs, built once; close() releases the store and the HTTP client."""

    settings: Settings
    store: Store
    ingestor: Ingestor
    desk: StoryDesk | None = None
    llm: OpenAICompatibleLLM | None = None
    _fetcher: Fetcher | None = field(default=None, repr=False)

    @property
    def fetcher(self) -> Fetcher:
        # Built on first use: most commands never touch the network.
        if self._fetcher is None:
            from newsdesk.fetch import Fetcher

            self._fetcher = Fetcher(self.settings)
        return self._fetcher

    @property
    def poller(self) -> Poller:
        from newsdesk.pipeline.poll import Poller

        return Poller(self.settings, self.store, self.fetcher, self.ingestor)

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
        self.ingestor.runner.close()
        if self.llm is not None:
            self.llm.close()
        self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def llm_from(settings: Settings) -> OpenAICompatibleLLM | None:
    """The optional LLM for abstractive text; None when no endpoint is configured."""
    if not settings.llm_base_url:
        return None
    from newsdesk.nlp.llm import OpenAICompatibleLLM

    return OpenAICompatibleLLM(
        settings.llm_base_url, settings.llm_model, settings.llm_api_key or None
    )


def news_signal(settings: Settings) -> Callable[[], None] | None:
    """What tells every process sharing Redis that news was stored; None without redis_url."""
    if not settings.redis_url:
        return None
    from newsdesk.shared import news_arrived

    return partial(news_arrived, settings)


def build(settings: Settings) -> App:
    """Open the store (migrating it) and wire the pipeline for these settings."""
    store = Store.open(settings.db_url)
    preparer = Preparer(
        threshold=settings.near_dup_threshold,
        num_perm=settings.num_perm,
        shingle_size=settings.shingle_size,
    )
    runner = LocalRunner(settings.workers)
    llm = llm_from(settings)
    desk = StoryDesk(store, runner, llm) if settings.enrich else None
    ingestor = Ingestor(store, preparer, runner, desk, on_news=news_signal(settings))
    return App(settings=settings, store=store, ingestor=ingestor, desk=desk, llm=llm)
