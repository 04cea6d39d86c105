"""Enrich: the desk's brief of an article and of a story, and answers from the coverage.

analyze() runs spaCy once and keeps plain data; article_brief() writes the brief from it;
entity_names() gives the canonical names story clustering compares; story_brief() merges the
members' briefs; ask() answers a question from cited passages.
"""

from newsdesk.enrich.analysis import Analysis, analyze, analyze_many
from newsdesk.enrich.angles import angles
from newsdesk.enrich.ask import Answer, Passage, ask
from newsdesk.enrich.brief import article_brief, entity_names
from newsdesk.enrich.member import Member
from newsdesk.enrich.story import story_brief
from newsdesk.enrich.timeline import timeline

__all__ = [
    "Analysis",
    "Answer",
    "Member",
    "Passage",
    "analyze",
    "analyze_many",
    "angles",
    "article_brief",
    "ask",
    "entity_names",
    "story_brief",
    "timeline",
]
