"""The enrich half of ingest: briefs, vectors and story placement for new canonical articles.

Analysis and embedding run on the runner (CPU-heavy, store-free) in batches of articles, so
spaCy and the embedder see many texts at once; placement and storage run here, one transaction
per batch, against an in-memory index of the stories inside the time window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from newsdesk.cluster import (
    Placement,
    StoryIndex,
    StoryState,
    article_text_for_embedding,
    event_details,
    may_share_story,
)
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.models import Brief, StoredArticle
from newsdesk.nlp.embedder import default_embedder
from newsdesk.pipeline.prepare import Failed
from newsdesk.pipeline.runner import Runner
from newsdesk.store import Repo, Store, StoryRow

# spaCy, the brief's writers and the LLM client load where enrichment runs, on first use.
if TYPE_CHECKING:
    from newsdesk.nlp.llm import LLM

EMBEDDING_MODEL = "all-MiniLM-L6-v2-int8"
ENGLISH = "en"
# Measured on nothing better than the English set: a language the embedder was not trained on
# inflates every similarity, so only a near copy of the coverage joins a story.
OTHER_LANGUAGE_THRESHOLD = 0.85
SPACY_MAX_CHARS = 20_000  # the brief of a very long page is written from its first part
# Articles per runner job and per transaction: enough for spaCy's and the embedder's batches to
# pay, few enough that both cores stay busy to the end of a run (benchmarks/enrich_speed.py,
# 116 articles: 11.1-11.6 articles/s with 4 or 8, 9.3-10.1 with 16, the last jobs' tail).
ENRICH_BATCH = 8
BRIEFS_PER_TRANSACTION = 64  # story briefs rewritten in one transaction
# Small stories are re-placed (StoryIndex.regroup) once this many articles have been placed
# since the last time, the cadence the stream evaluation measured. Run after every single
# article, regroup fuses far more (a new event's first article meets a similar event's story
# before its own coverage has come): a poll that brings one article must not do that.
REGROUP_AFTER = 16
JOB_READ_BATCH = 500  # articles read per query when the jobs are made


@dataclass(frozen=True, slots=True)
class EnrichJob:
    article_id: int
    title: str
    text: str
    lang: str | None
    # published; None when the article has no date: the story index then asks for stronger
    # evidence (an undated margin) instead of taking the ingest time for the event's time, which
    # kept undated coverage apart from its dated stories and put undated events of different
    # years together (measured in docs/brief_quality.md)
    when: datetime | None


@dataclass(frozen=True, slots=True)
class Enriched:
    job: EnrichJob
    brief: Brief
    vector: npt.NDArray[np.float32]
    entities: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoryBriefs:
    """Progress of the story briefs rewritten at the end of a run: done of total stories."""

    done: int
    total: int


def enrich_one(job: EnrichJob) -> Enriched | Failed:
    """Brief, entity names and embedding of one article; picklable for worker processes."""
    return enrich_many([job])[0]


def enrich_many(jobs: Sequence[EnrichJob]) -> list[Enriched | Failed]:
    """enrich_one over a batch: one spaCy pass over all texts, one embedder call; a failing
    article costs itself only (the batch is then redone one article at a time)."""
    from newsdesk.enrich import analyze_many, article_brief, entity_names

    try:
        analyses = list(analyze_many((j.text[:SPACY_MAX_CHARS], j.title, j.lang) for j in jobs))
        vectors = default_embedder().embed(
            [article_text_for_embedding(j.title, j.text) for j in jobs]
        )
    except NewsdeskError as exc:
        if len(jobs) == 1:
            return [Failed(label=f"article {jobs[0].article_id}", error=str(exc))]
        return [result for job in jobs for result in enrich_many([job])]
    done: list[Enriched | Failed] = []
    for job, analysis, vector in zip(jobs, analyses, vectors, strict=True):
        try:
            brief = article_brief(analysis)
            # names and the lead's numbers (event details) tell same-kind events apart
            names = entity_names(analysis) | event_details(job.title, job.text)
            done.append(Enriched(job, brief, vector, names))
        except NewsdeskError as exc:
            done.append(Failed(label=f"article {job.article_id}", error=str(exc)))
    return done


def job_for(article: StoredArticle) -> EnrichJob:
    return EnrichJob(article.id, article.title, article.text, article.lang, article.published)


class StoryDesk:
    """Places enriched articles in stories and keeps story briefs current."""

    def __init__(self, store: Store, runner: Runner, llm: LLM | None = None) -> None:
        self.store = store
        self.runner = runner
        self.llm = llm  # optional: rewrites story summaries from their cited sentences
        self._indexes: dict[str, StoryIndex] = {}
        self._loaded = False
        self._placed_since_regroup = 0

    def index_for(self, lang: str | None) -> StoryIndex:
        """One index per language: the embedder is English, so other languages never mix, and
        within one of them only near-identical coverage joins (the vectors say little else)."""
        key = _lang_key(lang)
        if key not in self._indexes:
            if key == ENGLISH:
                self._indexes[key] = StoryIndex()
            else:
                self._indexes[key] = StoryIndex(threshold=OTHER_LANGUAGE_THRESHOLD)
        return self._indexes[key]

    def load(self, now: datetime | None = None) -> None:
        """Fill the index with the stories active within its reach (window or follow-ups)."""
        since = (now or utcnow()) - timedelta(days=self.index_for(ENGLISH).reach_days)
        with self.store.transaction(readonly=True) as repo:
            rows = repo.active_stories(since)
            langs = {a.id: a.lang for a in repo.get_articles([r.id for r in rows])}
            for row in rows:
                state = _state(row)
                if state is not None:
                    self.index_for(langs.get(row.id)).add(state)
        self._loaded = True

    def run(
        self,
        article_ids: Sequence[int],
        progress: Callable[[Enriched | Failed | StoryBriefs], None] | None = None,
        *,
        replace: bool = False,
    ) -> tuple[int, list[Failed]]:
        """Enrich and place these canonical articles; returns (stories touched, failures).

        progress hears of each article, then of the story briefs rewritten (StoryBriefs)."""
        if not self._loaded:
            self.load()
        jobs = list(self._jobs(article_ids, replace))
        touched: set[int] = set()
        failures: list[Failed] = []
        batches = [jobs[i : i + ENRICH_BATCH] for i in range(0, len(jobs), ENRICH_BATCH)]
        # size counts articles: a small run stays in-process, a large one uses every core
        for results in self.runner.map(enrich_many, batches, size=len(jobs)):
            done = [result for result in results if isinstance(result, Enriched)]
            failures += [result for result in results if isinstance(result, Failed)]
            with self.store.transaction() as repo:
                touched |= self._place_all(repo, done)
            self._placed_since_regroup += len(done)
            if progress is not None:
                for result in results:
                    progress(result)
        if self._placed_since_regroup >= REGROUP_AFTER:
            touched |= self._regroup()
            self._placed_since_regroup = 0
        self.refresh_briefs(touched, progress)
        return len(touched), failures

    def place_enriched(self, results: Sequence[Enriched]) -> set[int]:
        """Store and place articles enriched elsewhere (the distributed enrich queue), in one
        transaction, regrouping when due; rewrites and returns the stories touched."""
        if not self._loaded:
            self.load()
        with self.store.transaction() as repo:
            touched = self._place_all(repo, results)
        self._placed_since_regroup += len(results)
        if self._placed_since_regroup >= REGROUP_AFTER:
            touched |= self._regroup()
            self._placed_since_regroup = 0
        self.refresh_briefs(touched)
        return touched

    def _regroup(self) -> set[int]:
        """At the end of a run, once REGROUP_AFTER articles have been placed: small stories
        that the new coverage gives a home (see StoryIndex.regroup) are merged there, never
        one with a link pinned by hand; returns the stories that took one in."""
        kept: set[int] = set()
        with self.store.transaction() as repo:

            def movable(story_id: int) -> bool:
                links = (repo.story_link(m.id) for m in repo.story_members(story_id))
                return not any(link is not None and link.pinned for link in links)

            for index in self._indexes.values():
                merges = index.regroup(movable)
                for keep, gone in merges:
                    repo.merge_stories(keep, gone)
                for keep in sorted({keep for keep, _ in merges}):
                    if keep in index:  # else merged on into a smaller id in the same pass
                        title = repo.get_story(keep).title
                        repo.upsert_story(_row(index.get(keep), title))
                        kept.add(keep)
        return kept

    def refresh_briefs(
        self, story_ids: Iterable[int], progress: Callable[[StoryBriefs], None] | None = None
    ) -> None:
        """Rewrite the brief and title of each story from its members' briefs."""
        ordered = sorted(set(story_ids))
        # an LLM call may take seconds: then one story per transaction, not holding the writer
        per = 1 if self.llm is not None else BRIEFS_PER_TRANSACTION
        for start in range(0, len(ordered), per):
            with self.store.transaction() as repo:
                for story_id in ordered[start : start + per]:
                    self._refresh_brief(repo, story_id)
            if progress is not None:  # 10,000 one-article stories take a while: say so
                progress(StoryBriefs(min(start + per, len(ordered)), len(ordered)))

    def _refresh_brief(self, repo: Repo, story_id: int) -> None:
        from newsdesk.enrich import Member, story_brief
        from newsdesk.enrich.sections import story_sections
        from newsdesk.nlp.llm import summarize_with_llm

        # the members' heads and briefs in two queries: no text, no brief at a time
        heads = repo.article_heads(repo.story_member_ids(story_id))
        briefs = repo.article_briefs([a.id for a in heads])
        members = [
            Member(a.id, a.source, a.title, a.published, briefs[a.id])
            for a in heads
            if a.id in briefs
        ]
        if not members:
            return
        made = story_brief(members)
        if self.llm is not None:
            lines = summarize_with_llm(self.llm, made.summary, [line.text for line in made.summary])
            made = replace(made, summary=lines)
        repo.save_brief(made, story_id=story_id)
        centroid = repo.get_story(story_id).centroid
        vector = centroid if isinstance(centroid, np.ndarray) else None
        repo.set_story_section(story_id, *story_sections(vector, (m.brief for m in members)))

    def split(self, article_ids: Sequence[int]) -> int:
        """Move articles of one story into a story of their own; every link is pinned."""
        ids = sorted(set(article_ids))
        with self.store.transaction() as repo:
            stories = {repo.story_of(a) for a in ids}
            if len(stories) != 1 or None in stories:
                raise NewsdeskError("story split: the articles must all belong to one story")
            old = stories.pop()
            assert old is not None
            members = [m.id for m in repo.story_members(old)]
            rest = [m for m in members if m not in ids]
            if not rest:
                raise NewsdeskError(f"story split: those are all the articles of story {old}")
            # The story keeps its id with the article it is named after.
            moving, staying = (rest, ids) if old in ids else (ids, rest)
            new_id = next((a for a in moving if not _taken(repo, a)), None)
            if new_id is None:
                raise NewsdeskError("story split: no free story id among those articles")
            title = repo.get_article(new_id).title
            repo.upsert_story(_row(self._state_of(repo, new_id, moving), title))
            for article_id in moving:
                repo.link_article(
                    article_id,
                    new_id,
                    similarity=1.0,
                    shared_entities=(),
                    reason="split by hand",
                    pinned=True,
                )
            for article_id in staying:
                link = repo.story_link(article_id)
                repo.link_article(
                    article_id,
                    old,
                    similarity=link.similarity if link else 1.0,
                    shared_entities=link.shared_entities if link else (),
                    reason="kept by hand",
                    pinned=True,
                )
            old_title = repo.get_story(old).title
            repo.upsert_story(_row(self._state_of(repo, old, staying), old_title))
            index = self.index_for(repo.get_article(new_id).lang)
            index.add(self._state_of(repo, old, staying))
            index.add(self._state_of(repo, new_id, moving))
        self.refresh_briefs([old, new_id])
        return new_id

    def merge(self, story_ids: Sequence[int]) -> int:
        """Merge stories by hand into the oldest id; every link is pinned."""
        with self.store.transaction() as repo:
            ids = sorted({repo.resolve_story_id(s) for s in story_ids})
            keep = ids[0]
            for gone in ids[1:]:
                repo.merge_stories(keep, gone)
                for index in self._indexes.values():
                    if gone in index:
                        index.remove(gone)
            members = [m.id for m in repo.story_members(keep)]
            for article_id in members:
                repo.link_article(
                    article_id,
                    keep,
                    similarity=1.0,
                    shared_entities=(),
                    reason="merged by hand",
                    pinned=True,
                )
            state = self._state_of(repo, keep, members)
            repo.upsert_story(_row(state, repo.get_story(keep).title))
            self.index_for(repo.get_article(members[0]).lang).add(state)
        self.refresh_briefs([keep])
        return keep

    def _state_of(self, repo: Repo, story_id: int, members: Sequence[int]) -> StoryState:
        vectors = repo.get_vectors(members)
        centroid = np.mean([vectors[m] for m in members if m in vectors] or [np.zeros(384)], axis=0)
        norm = float(np.linalg.norm(centroid)) or 1.0
        entities: dict[str, int] = {}
        for m in members:
            brief = repo.get_brief(article_id=m)
            for name in {w.name for w in brief.who} if brief else ():
                entities[name] = entities.get(name, 0) + 1
        dates = [a.published for a in repo.get_articles(list(members)) if a.published]
        return StoryState(
            story_id=story_id,
            centroid=(centroid / norm).astype(np.float32),
            size=len(members),
            entities=entities,
            first_seen=min(dates) if dates else None,
            last_seen=max(dates) if dates else None,
        )

    def _jobs(self, article_ids: Sequence[int], replace: bool) -> Iterable[EnrichJob]:
        # Read in batches: two queries per article held a 10,000-item feed silent for a while
        # before its first brief.
        ids = list(dict.fromkeys(article_ids))
        with self.store.transaction(readonly=True) as repo:
            for start in range(0, len(ids), JOB_READ_BATCH):
                chunk = ids[start : start + JOB_READ_BATCH]
                briefed = set() if replace else set(repo.article_briefs(chunk))
                todo = [a for a in chunk if a not in briefed]
                yield from (job_for(article) for article in repo.get_articles(todo))

    def _place_all(self, repo: Repo, done: Sequence[Enriched]) -> set[int]:
        """Store the briefs, vectors and tags of a job's articles (a few statements for all of
        them) and place each in a story; returns the stories touched."""
        repo.add_enrichments(
            [
                (
                    d.job.article_id,
                    d.brief,
                    d.vector,
                    d.brief.hashtags,
                    [(w.name, w.type) for w in d.brief.who],
                )
                for d in done
            ],
            EMBEDDING_MODEL,
        )
        # placed before (a re-run, or pinned by hand): stays where it is
        placed = repo.stories_of([d.job.article_id for d in done])
        return {placed.get(d.job.article_id) or self._place(repo, d) for d in done}

    def _place(self, repo: Repo, done: Enriched) -> int:
        """Place an article that is in no story yet."""
        job = done.job
        if not may_share_story(job.title, job.text):
            return self._alone(repo, done)
        placement = self.index_for(job.lang).place(done.vector, done.entities, job.when)
        story_id = self._join(repo, placement, done)
        repo.link_article(
            job.article_id,
            story_id,
            similarity=placement.similarity,
            shared_entities=placement.shared_entities,
            reason=placement.reason,
        )
        return story_id

    def _alone(self, repo: Repo, done: Enriched) -> int:
        """A story of its own for an article with too little text to tell its event (a title
        alone, "Item 17"): stored without a centroid and kept out of the index, so no article
        ever joins it, now or after a restart."""
        job = done.job
        repo.upsert_story(
            StoryRow(
                id=job.article_id,
                title=job.title,
                centroid=None,
                size=1,
                entities={name: 1 for name in done.entities},
                first_seen=job.when,
                last_seen=job.when,
            )
        )
        repo.link_article(
            job.article_id,
            job.article_id,
            similarity=0.0,
            shared_entities=(),
            reason="too little text to share a story",
        )
        return job.article_id

    def _join(self, repo: Repo, placement: Placement, done: Enriched) -> int:
        job = done.job
        if placement.story_id is None:
            # a story is named after its first article (stable ids); start(): regroup() will
            # look for its home, e.g. the event's story weeks before (follow-up coverage)
            index = self.index_for(job.lang)
            state = index.start(job.article_id, done.vector, done.entities, job.when)
            repo.upsert_story(_row(state, job.title))
            return state.story_id
        index = self.index_for(job.lang)
        state = index.join(placement.story_id, done.vector, done.entities, job.when)
        for other in placement.merge_with:
            keep, gone = sorted((state.story_id, repo.resolve_story_id(other)))
            if keep == gone:
                continue
            state = index.merge(keep, gone)
            repo.merge_stories(keep, gone)
        title = repo.get_story(state.story_id).title
        repo.upsert_story(_row(state, title))
        return state.story_id


def _lang_key(lang: str | None) -> str:
    return (lang or ENGLISH).split("-")[0].lower()


def _taken(repo: Repo, story_id: int) -> bool:
    """Whether a live story has this id (an id merged away may be used again)."""
    try:
        return repo.resolve_story_id(story_id) == story_id
    except NotFoundError:
        return False


def _state(row: StoryRow) -> StoryState | None:
    """The index's view of a stored story; None for one stored without a centroid (nothing to
    compare an article with: it keeps its articles but attracts no new ones)."""
    if not isinstance(row.centroid, np.ndarray):  # the store decodes centroids on read
        return None
    return StoryState(
        story_id=row.id,
        centroid=row.centroid,
        size=row.size,
        entities=row.entities,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
    )


def _row(state: StoryState, title: str) -> StoryRow:
    return StoryRow(
        id=state.story_id,
        title=title,
        centroid=state.centroid,
        size=state.size,
        entities=dict(state.entities),
        first_seen=state.first_seen,
        last_seen=state.last_seen,
    )
