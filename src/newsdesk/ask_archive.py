"""Ask the archive or one story: gather cited passages from the store, then answer from them."""

from __future__ import annotations

import re
from collections import Counter

from newsdesk.enrich import Answer, Passage, ask
from newsdesk.nlp.llm import LLM
from newsdesk.store import Repo

CANDIDATE_ARTICLES = 15
_TERMS = re.compile(r"[^\W\d_][\w'-]{2,}")
_STOP = frozenset(  # question words that say nothing about the topic
    "the and for with that this what which who whom whose when where why how was were are is "  # noqa: SIM905
    "did does has have had about from into over after before their there they them its it's "
    "will would could should can may might been being than then also".split()
)


def ask_archive(
    repo: Repo, question: str, *, story_id: int | None = None, llm: LLM | None = None
) -> Answer:
    """The best-supported sentences for the question, with citations, or "not found"."""
    if story_id is not None:
        ids = [a.id for a in repo.story_members(repo.resolve_story_id(story_id))]
    else:
        ids = _candidates(repo, question)
    passages: list[Passage] = []
    for article_id in ids:
        brief = repo.get_brief(article_id=article_id)
        if brief is None:
            continue
        article = repo.get_article(article_id)
        passages.extend(
            Passage(article_id, i, text, article.source, article.published)
            for i, text in enumerate(brief.sentences)
        )
    return ask(question, passages, llm=llm)


def _candidates(repo: Repo, question: str) -> list[int]:
    # Full-text search wants every term; a question's words are better taken one by one.
    terms = [t for t in _TERMS.findall(question.casefold()) if t not in _STOP]
    hits: Counter[int] = Counter()
    for term in dict.fromkeys(terms):
        for rank, hit in enumerate(repo.search(term, limit=CANDIDATE_ARTICLES)):
            hits[hit.article_id] += CANDIDATE_ARTICLES - rank
    return [article_id for article_id, _ in hits.most_common(CANDIDATE_ARTICLES)]
