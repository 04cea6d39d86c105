"""Quotes and speakers, one rule at a time, on real parses of short news passages."""

from __future__ import annotations

import pytest

from newsdesk.enrich import analyze
from newsdesk.enrich.entities import mentions
from newsdesk.enrich.quotes import quote_spans, quotes
from newsdesk.nlp import spacy_model

pytestmark = pytest.mark.skipif(not spacy_model.available("en"), reason="no English model")


def said(text: str) -> list[tuple[str, str | None]]:
    analysis = analyze(text, lang="en")
    return [(q.text, q.speaker) for q in quotes(analysis, mentions(analysis))]


def test_named_subject_of_said() -> None:
    text = "“We will build the wall and it will be paid for,” Donald Trump said on Tuesday."
    assert said(text) == [("We will build the wall and it will be paid for", "Donald Trump")]


def test_said_mr_x_gets_x_not_the_previous_speaker() -> None:
    text = (
        "“The economy is growing faster than anyone expected,” said Hillary Clinton.\n\n"
        "“That is simply not what the numbers show at all,” said Mr. Paul Ryan."
    )
    assert [s for _, s in said(text)] == ["Hillary Clinton", "Paul Ryan"]


def test_name_with_apposition_before_said() -> None:
    text = (
        "“Voters are tired of the same old promises from Washington,” Robby Mook, the campaign "
        "manager, said."
    )
    assert said(text)[0][1] == "Robby Mook"


def test_pronoun_resolves_to_person_of_same_gender() -> None:
    text = (
        "Mrs. Elizabeth Warren spoke after Mr. Bernie Sanders at the rally in Boston.\n\n"
        "“We are not going to let them take this country back,” she said."
    )
    assert said(text)[0][1] == "Elizabeth Warren"


def test_plural_pronoun_names_nobody() -> None:
    text = (
        "Senator Tim Kaine met the union leaders on Monday.\n\n"
        "“We want a contract that respects every worker here,” they said."
    )
    assert said(text)[0][1] is None


def test_verb_outside_the_listed_cues_still_attributes() -> None:
    text = "“This is the most important election of our lifetime,” Joe Biden thundered."
    assert said(text)[0][1] == "Joe Biden"


def test_according_to() -> None:
    text = "“The polls were wrong about the turnout in every state,” according to Nate Silver."
    assert said(text)[0][1] == "Nate Silver"


def test_colon_after_attribution() -> None:
    text = (
        "Bernie Sanders told the crowd:\n\n“The billionaire class cannot have it all, not anymore.”"
    )
    assert said(text)[0][1] == "Bernie Sanders"


def test_quote_alone_continues_the_previous_speaker() -> None:
    text = (
        "“We have a plan to fix the schools,” Tim Kaine said. "
        "“And we will fund it without raising taxes on families.”"
    )
    assert [s for _, s in said(text)] == ["Tim Kaine", "Tim Kaine"]


def test_split_quote_is_one_quote() -> None:
    text = "“We will win this state,” Mike Pence said, “and then we will win the White House.”"
    found = said(text)
    assert len(found) == 1 and found[0][1] == "Mike Pence"
    assert "White House" in found[0][0]


@pytest.mark.parametrize(
    "text",
    [
        "Critics called the plan a “total disaster” on Monday.",
        "The senator’s “basket of deplorables” remark drew fire from across the aisle.",
        "She wrote “The Art of the Deal Revisited” in 2015 with a ghostwriter.",
        "The plan to “keep the details of the deal under wraps” drew criticism in October.",
    ],
)
def test_narrative_with_quotation_marks_is_not_a_quote(text: str) -> None:
    assert said(text) == []


def test_spans_point_into_the_text() -> None:
    text = "Officials met on Monday. “The talks went well today,” Antony Blinken said."
    analysis = analyze(text, lang="en")
    (q,) = quote_spans(analysis, mentions(analysis))
    assert text[q.start : q.end].startswith("“The talks")


def test_pronoun_goes_to_the_main_clause_subject_not_a_person_talked_about() -> None:
    text = (
        "Susan Sarandon said she was tired of the status quo.\n\n"
        "She appeared to imply that Donald Trump could lead to more upheaval than Hillary "
        "Clinton.\n\n"
        "“Some people feel Trump will bring revolution immediately,” she said."
    )
    assert said(text)[-1][1] == "Susan Sarandon"


def test_first_name_gives_the_gender() -> None:
    text = (
        "John Kerry met Susan Collins in Maine on Wednesday morning.\n\n"
        "“He has fought for our liberty and for our sovereignty for years,” she said."
    )
    assert said(text)[0][1] == "Susan Collins"


def test_long_partial_quote_after_a_naming_verb_is_speech() -> None:
    text = "Trump attacked Obama, calling him “the most ignorant president in our history.”"
    assert said(text) == [("the most ignorant president in our history.", "Trump")]


def test_mixed_quotation_marks_pair_up() -> None:
    text = '"We are going to start winning again and we will win so much,” Trump said.'
    assert said(text)[0][1] == "Trump"


def test_unclosed_paragraph_quote_continues_in_the_next() -> None:
    text = (
        "Joe Biden spoke to the crowd for an hour.\n\n"
        "Joe Biden said: “This is the most important election of our lifetime. We will win it. "
        "We will win it in Ohio. We will win it in Iowa. We will win it everywhere.\n\n"
        "“And then we will rebuild the middle class, one town at a time.”"
    )
    assert [s for _, s in said(text)] == ["Joe Biden", "Joe Biden"]


def test_named_subject_before_a_closing_colon() -> None:
    text = (
        "Republican nominee Donald Trump issued the following statement:\n\n"
        "“Our prayers are with all those affected by the horrible attacks in Munich.”"
    )
    assert said(text)[0][1] == "Donald Trump"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "“We were tremendously wrong not to confront him from the beginning,” Jorge Ramos "
            "barked at the crowd in Mexico City on Monday.",
            "Jorge Ramos",
        ),
        (
            "Pollsters agree - Carl Bialik: “One of the biggest lessons was a simple one: keep "
            "contacting voters as late as possible.”",
            "Carl Bialik",
        ),
        (
            "The senator kept repeating the same figures in every debate.\n\n"
            "“The idea that I would dismantle health care in America is just not accurate.”\n\n"
            "- Bernie Sanders.\n\nThe claim is hard to check.",
            "Bernie Sanders",
        ),
    ],
)
def test_attribution_by_the_layout_of_news_copy(text: str, speaker: str) -> None:
    assert said(text)[0][1] == speaker


def test_a_title_subject_gives_its_person() -> None:
    text = (
        "On the radio, Speaker of the House Rep. Paul Ryan (R-WI) said “anti-Semitic images, "
        "they have got no place in a presidential campaign.”"
    )
    assert said(text)[0][1] == "Paul Ryan"


def test_nameless_subject_of_a_verb_of_saying_names_nobody() -> None:
    text = (
        "“The agents involved are under a lot of pressure,” an intelligence source told Fox News."
    )
    assert said(text)[0][1] is None


def test_marks_typed_the_wrong_way_round_still_pair() -> None:
    text = (
        "“The reality is, if she loses Iowa, that could create real problems for her here,“ "
        "said Jim Clyburn, a congressman from South Carolina.\n\n"
        "”Fear. I am truly afraid that he will win the election in November.” ― Ana Torres"
    )
    assert [s for _, s in said(text)] == ["Jim Clyburn", "Ana Torres"]


def test_signature_after_a_dash_on_the_same_line() -> None:
    text = (
        "Readers wrote to us after the debate.\n\n"
        "“He makes simple blanket statements about people he knows nothing about.” ― Pamela "
        "Padilla\n"
        "“I cannot believe a man like that is the nominee of a major party.” — Carla Sanchez."
    )
    assert [s for _, s in said(text)] == ["Pamela Padilla", "Carla Sanchez"]


def test_signature_name_the_recogniser_missed_is_taken_as_written() -> None:
    text = (
        "Readers wrote to us after the debate.\n\n"
        "“A leader listens to the people, and he does not listen to anyone.”\u00a0―\u00a0"
        "Christina N Luis Olidem\n"
    )
    assert said(text)[0][1] is not None and "Olidem" in (said(text)[0][1] or "")
