"""The article brief: every part of newsdesk.models.Brief from one Analysis."""

from __future__ import annotations

from collections import Counter

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.entities import UNSURE, mentions
from newsdesk.enrich.figures import figures
from newsdesk.enrich.hashtags import hashtags
from newsdesk.enrich.quotes import quotes
from newsdesk.enrich.summary import candidates, summary_and_points
from newsdesk.enrich.who import who_entries
from newsdesk.models import Brief, EntityMention

NAME_TYPES = frozenset({"PERSON", "ORG", "PLACE", "EVENT"})


def article_brief(analysis: Analysis) -> Brief:
    """Summary, key points, who's who, quotes, figures and hashtags, each citing sentences."""
    sentences = tuple(s.text for s in analysis.sentences)
    if not analysis.available:
        note = f"not available for {analysis.lang}"
        return Brief(lang=analysis.lang, available=False, note=note, sentences=sentences)
    found = mentions(analysis)
    summary, key_points = summary_and_points(analysis)
    who = who_entries(analysis, found)
    counts = Counter(m.canonical for m in found if m.type in NAME_TYPES)
    short = set(range(len(sentences))) - set(candidates(analysis))
    return Brief(
        lang=analysis.lang or "en",
        sentences=sentences,
        summary=summary,
        key_points=key_points,
        entities=tuple(
            EntityMention(
                analysis.text[m.start : m.end],
                m.type,
                m.canonical,
                m.start,
                m.end,
            )
            for m in found
        ),
        who=who,
        quotes=quotes(analysis, found),
        figures=figures(analysis, short & _headings(analysis)),
        hashtags=hashtags(who, analysis.title, analysis.text, counts),
    )


def entity_names(analysis: Analysis) -> frozenset[str]:
    """Canonical PERSON/ORG/PLACE/EVENT names of the article, for story clustering."""
    if not analysis.available:
        return frozenset()
    return frozenset(m.canonical for m in mentions(analysis) if m.type in NAME_TYPES)


def _headings(analysis: Analysis) -> set[int]:
    """Sentences that are headings or page furniture (no verb-like ending, few words)."""
    return {i for i, s in enumerate(analysis.sentences) if len(s.text.split()) < 4}


__all__ = ["UNSURE", "article_brief", "entity_names"]
