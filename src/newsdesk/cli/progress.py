"""Progress of the long commands (ingest, reprocess): live bars on a terminal, none when piped.

On a terminal each bar says what it counts, how many of how many, the rate and the time left,
so nothing is silent for minutes. Piped, there are no bars at all: the command's one summary
line (with its time and rate) is the whole story.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """Items per second over the last seconds (Rich's own estimate), or nothing yet."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


def bars(console: Console) -> Progress:
    """What, a bar, done of total, rate, time taken, time left; vanishes when done."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    # disable: piped output gets no bars (Rich would print their last frame otherwise)
    return Progress(*columns, console=console, transient=True, disable=not console.is_terminal)


@dataclass(slots=True)
class Clock:
    """Time since a command began, for its summary line."""

    started: float = field(default_factory=time.perf_counter)

    def rate(self, done: int) -> str:
        """'in 12.3 s, 81.3 items/s'."""
        seconds = max(time.perf_counter() - self.started, 1e-9)
        return f"in {seconds:.1f} s, {done / seconds:,.1f} items/s"


class StoryBriefsBar:
    """A bar of its own for the story briefs a run rewrites at its end (StoryBriefs events)."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: TaskID | None = None

    def took(self, event: object) -> bool:
        """Shows the event when it is a StoryBriefs; False for anything else (an article)."""
        from newsdesk.pipeline.enrich import StoryBriefs  # loaded by then: the run sent it

        if not isinstance(event, StoryBriefs):
            return False
        if self.task is None:
            self.task = self.bar.add_task("story briefs", total=event.total)
        self.bar.update(self.task, completed=event.done)
        return True


@contextmanager
def progress_bar(
    console: Console, label: str, total: int | None
) -> Iterator[Callable[[object], None]]:
    """One bar (and one for story briefs when they come); yields the per-item callback."""
    with bars(console) as bar:
        task = bar.add_task(label, total=total)
        stories = StoryBriefsBar(bar)

        def tick(result: object) -> None:
            if not stories.took(result):
                bar.advance(task)

        yield tick


@contextmanager
def ingest_progress(
    console: Console, total: int, *, enriching: bool = True
) -> Iterator[tuple[Callable[[object], None], Callable[[object], None]]]:
    """Two bars: items stored, then briefs and stories for the new ones (their total grows as
    new articles are stored); the second only when enrichment is on."""
    with bars(console) as bar:
        stored = bar.add_task("storing items", total=total)
        enriched = bar.add_task("briefs and stories", total=0, visible=enriching)
        new = 0

        stories = StoryBriefsBar(bar)

        def on_stored(result: object) -> None:
            nonlocal new
            bar.advance(stored)
            if getattr(result, "status", None) == "new":
                new += 1
                bar.update(enriched, total=new)

        def on_enriched(result: object) -> None:
            if not stories.took(result):
                bar.advance(enriched)

        yield on_stored, on_enriched
