"""story_brief, timeline and angles on a real multi-source ECB+ story.

The articles' Briefs are built here straight from spaCy (sentences, entities, a crude who's who,
quotes, figures, hashtags), so this test does not depend on the article-brief code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from newsdesk.enrich.member import Member
from newsdesk.enrich.story import story_brief
from newsdesk.enrich.timeline import resolve, timeline
from newsdesk.models import Brief, Cite, EntityMention, Figure, Quote, WhoEntry
from newsdesk.nlp import spacy_model
from support.corpus import CORPUS

ARTICLES = CORPUS / "stories" / "ecbplus_articles.jsonl"
EVENT = "ecb39-b"  # Peter Capaldi named the 12th Doctor: 11 articles, 10 outlets
PLACE = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
pytestmark = pytest.mark.skipif(not ARTICLES.exists(), reason="the ECB+ stories are missing")


def brief_of(text: str, nlp: object) -> Brief:
    """A Brief from spaCy alone: one sentence per corpus line, entities, who, quotes, figures."""
    sentences = tuple(t for t in text.split("\n") if t.strip())
    entities: list[EntityMention] = []
    offset = 0
    docs = list(nlp.pipe(sentences))  # type: ignore[attr-defined]
    people = [e.text for d in docs for e in d.ents if e.label_ == "PERSON" and " " in e.text]
    for doc in docs:
        for e in doc.ents:
            canonical = next((p for p in people if p.split()[-1] == e.text), e.text)
            kind = PLACE.get(e.label_, e.label_)
            entities.append(
                EntityMention(e.text, kind, canonical, offset + e.start_char, offset + e.end_char)
            )
        offset += len(doc.text) + 1
    who_count: Counter[tuple[str, str]] = Counter(
        (e.canonical, e.type) for e in entities if e.type in {"PERSON", "ORG", "PLACE"}
    )
    who = tuple(
        WhoEntry(name, kind, None, n, tuple(Cite(i) for i, s in enumerate(sentences) if name in s))
        for (name, kind), n in who_count.most_common(8)
    )
    quotes = tuple(
        Quote(m, None, (Cite(i),))
        for i, s in enumerate(sentences)
        for m in re.findall(r"\"([^\"]{20,})\"", s)
    )
    figures = tuple(
        Figure(e.text, None, e.label_.lower(), (Cite(i),))
        for i, d in enumerate(docs)
        for e in d.ents
        if e.label_ in {"CARDINAL", "MONEY", "PERCENT"}
    )
    hashtags = tuple(
        "#" + "".join(w.capitalize() for w in re.findall(r"\w+", name))
        for (name, _), _ in who_count.most_common(5)
    )
    return Brief(
        lang="en",
        sentences=sentences,
        entities=tuple(entities),
        who=who,
        quotes=quotes,
        figures=figures,
        hashtags=hashtags,
    )


@pytest.fixture(scope="module")
def members() -> list[Member]:
    nlp = spacy_model.load("en")
    with ARTICLES.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    chosen = [r for r in rows if r["event_id"] == EVENT and r["text"].strip()]
    return [
        Member(
            article_id=n,
            source=r["source"],
            title=r["title"],
            published=datetime.fromisoformat(r["published"]).replace(tzinfo=UTC)
            if r["published"]
            else None,
            brief=brief_of(r["text"], nlp),
        )
        for n, r in enumerate(chosen, 100)
    ]


@pytest.fixture(scope="module")
def brief(members: list[Member]) -> Brief:
    return story_brief(members)


def all_cites(brief: Brief) -> list[Cite]:
    groups = [
        brief.summary,
        brief.key_points,
        brief.who,
        brief.quotes,
        brief.figures,
        brief.timeline,
    ]
    cites = [c for group in groups for item in group for c in item.cites]  # type: ignore[attr-defined]
    return cites + [c for angle in brief.angles for line in angle.lines for c in line.cites]


def test_every_citation_points_to_an_existing_sentence(members: list[Member], brief: Brief) -> None:
    sentences = {m.article_id: m.brief.sentences for m in members}
    cites = all_cites(brief)
    assert cites
    for cite in cites:
        assert cite.article_id in sentences
        assert 0 <= cite.sentence < len(sentences[cite.article_id])
    assert brief.sentences == ()


def test_summary_is_short_distinct_and_cross_source(members: list[Member], brief: Brief) -> None:
    assert 2 <= len(brief.summary) <= 4
    assert 3 <= len(brief.key_points) <= 6
    lines = brief.summary + brief.key_points
    for line in lines:  # each line is the sentence it cites first
        first = line.cites[0]
        text = next(
            m.brief.sentences[first.sentence] for m in members if m.article_id == first.article_id
        )
        assert text == line.text
    words = [set(re.findall(r"\w+", line.text.lower())) for line in lines]
    for i in range(len(words)):
        for j in range(i):
            assert len(words[i] & words[j]) / len(words[i] | words[j]) < 0.6, (lines[i], lines[j])
    # the story's central fact is confirmed by several articles
    assert any(len({c.article_id for c in line.cites}) >= 3 for line in brief.summary)
    assert "Capaldi" in " ".join(line.text for line in brief.summary)


def test_who_is_merged_across_articles(brief: Brief) -> None:
    names = [w.name for w in brief.who]
    assert len(names) == len({n.casefold() for n in names})
    capaldi = next(w for w in brief.who if w.name == "Peter Capaldi")
    assert len({c.article_id for c in capaldi.cites}) >= 5
    assert "Capaldi" not in names  # the surname alone was folded into the full name


def test_quotes_and_figures_are_deduplicated(brief: Brief) -> None:
    keys = [re.sub(r"\W+", " ", q.text.casefold()).strip() for q in brief.quotes]
    assert len(keys) == len(set(keys))
    figures = [(f.value.replace(",", ""), f.unit, f.what) for f in brief.figures]
    assert len(figures) == len(set(figures))


def test_hashtags_come_from_several_articles(members: list[Member], brief: Brief) -> None:
    assert 3 <= len(brief.hashtags) <= 8
    for tag in brief.hashtags[:3]:
        assert sum(tag in m.brief.hashtags for m in members) >= 2
    assert len({t.casefold() for t in brief.hashtags}) == len(brief.hashtags)


def test_timeline_is_sorted_iso_and_deduplicated(members: list[Member], brief: Brief) -> None:
    events = brief.timeline
    assert events == timeline(members)
    assert len(events) >= 2
    assert [e.when for e in events] == sorted(e.when for e in events)
    for event in events:
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", event.when)
    keys = [(e.when, e.text) for e in events]
    assert len(keys) == len(set(keys))
    assert any(e.when == "2013-08-04" for e in events)  # the announcement day


def test_angles_only_for_sources_with_unique_content(members: list[Member], brief: Brief) -> None:
    sources = {m.source for m in members}
    assert brief.angles
    assert len({a.source for a in brief.angles}) == len(brief.angles)
    by_id = {m.article_id: m for m in members}
    for angle in brief.angles:
        assert angle.source in sources and 1 <= len(angle.lines) <= 3
        for line in angle.lines:
            [cite] = line.cites
            assert by_id[cite.article_id].source == angle.source
    # a story told by one source has no angles
    one = [m for m in members if m.source == members[0].source]
    assert story_brief(one).angles == ()


@pytest.mark.parametrize(
    ("expression", "when"),
    [
        ("Monday", "2013-05-27"),
        ("on Thursday", "2013-05-30"),
        ("yesterday", "2013-05-30"),
        ("mid-May", "2013-05"),
        ("June 2", "2013-06-02"),
        ("June 2, 2012", "2012-06-02"),
        ("2022", "2022"),
        ("last year", "2012"),
        ("December", "2012-12"),
        ("33-year-old", None),
        ("two weeks", None),
    ],
)
def test_resolve_dates_against_the_published_day(expression: str, when: str | None) -> None:
    assert resolve(expression, datetime(2013, 5, 31).date()) == when  # a Friday


def test_relative_dates_need_a_published_day() -> None:
    assert resolve("on Monday", None) is None
    assert resolve("June 2, 2013", None) == "2013-06-02"


def test_empty_story() -> None:
    brief = story_brief([])
    assert (brief.summary, brief.timeline, brief.angles, brief.hashtags) == ((), (), (), ())
