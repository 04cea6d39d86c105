"""The summary never shows page furniture or a sentence that leans on the one before it."""

from __future__ import annotations

import pytest

from newsdesk.enrich import analyze
from newsdesk.enrich.lead_rules import dependent, furniture, strip_dateline
from newsdesk.enrich.summary import summary_and_points

FURNITURE = [
    "By . Daily Mail Reporter .",
    "By John Smith and Jane Doe for MailOnline .",
    "PUBLISHED: 10:31 EST, 3 March 2014 | UPDATED: 11:02 EST, 3 March 2014 .",
    "Updated 5:40 p.m. ET, Tue March 3, 2015.",
    "Updated 5:40 p. m. ET",
    "First Posted: 03/12/2013 4:12 pm EDT Updated: 03/12/2013 5:00 pm EDT",
    "Last updated at 3:14 PM on 12th March 2014 .",
    "Posted on March 3, 2015 by admin",
    "The scene of the crash on Tuesday (Photo: John Doe/AP)",
    "Police said the man was taken to hospital. (AP Photo/Jim Smith)",
    "Smith, pictured with his wife in 2010, was arrested on Tuesday.",
    "Image: Getty Images",
    "Scroll down for video .",
    "Click here to read the full report on the crash.",
    "The Ten Best Beaches In The World",
]
STORY = [
    "The company said on Tuesday that profits rose 5% in the third quarter.",
    "Police arrested a 23-year-old man in connection with the shooting at 10:30 p.m. on Friday.",
    "President Barack Obama met with leaders of the G7 in Brussels.",
    "iPhone sales rose 5% in March, the company said.",
]
DEPENDENT = [
    "But AMD plans to cut prices.",
    "He added that the firm would appeal.",
    "in East Flatbush and threw bottles at police.",
    "That surprised and wowed her.",
    "However, the plan failed.",
    '"and we will win," he said.',
    'Smith added: "We are done."',
    "They were arrested later.",
]
STANDALONE = [
    "This week marks the anniversary of several events.",
    '"We will win," Smith said.',
    "Apple CEO Tim Cook has released the watch.",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_is_recognised(text: str) -> None:
    assert furniture(text)


@pytest.mark.parametrize("text", STORY + DEPENDENT + STANDALONE)
def test_story_sentences_are_not_furniture(text: str) -> None:
    assert not furniture(text)


@pytest.mark.parametrize("text", DEPENDENT)
def test_dependent_sentences_are_recognised(text: str) -> None:
    assert dependent(text)


@pytest.mark.parametrize("text", STORY + STANDALONE)
def test_standalone_sentences_are_not_dependent(text: str) -> None:
    assert not dependent(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("London (CNN)Share, and your gift will be multiplied.", "Share, and your gift"),
        ("(CNN) -- The plan failed on Tuesday night in Paris.", "The plan failed"),
        ("WASHINGTON (AP) — The Senate voted 52-48 on Tuesday.", "The Senate voted"),
        ("PARIS, Jan 3 (Reuters) - France said on Friday it would act.", "France said"),
        ("LA CROSSE, Wis. — A man was killed in a crash on Tuesday.", "A man was killed"),
    ],
)
def test_datelines_are_cut(text: str, expected: str) -> None:
    assert strip_dateline(text).startswith(expected)


def test_summary_skips_furniture_and_dependent_sentences() -> None:
    paragraphs = [
        "By . Daily Mail Reporter .",
        "PUBLISHED: 10:31 EST, 3 March 2014 | UPDATED: 11:02 EST, 3 March 2014 .",
        "Updated 5:40 p.m. ET, Tue March 3, 2015.",
        "LONDON (CNN) -- Floods forced thousands of families from their homes in southern "
        "England on Tuesday as rivers burst their banks after a week of heavy rain.",
        "But officials said the worst of the flooding along the river was over by the evening.",
        "Residents of the town of Maidenhead, pictured, waded through water to reach dry land.",
        "He added that the army would help to build barriers along the Thames valley.",
        "The Environment Agency issued 14 severe flood warnings, its highest level, across the "
        "south of England and said more rain would fall on Wednesday.",
        "in the south of the county and threw sandbags at the rising water near the bridge.",
        "Scroll down for video .",
        "Prime Minister David Cameron chaired an emergency meeting on the floods in London.",
    ]
    a = analyze("\n\n".join(paragraphs), title="Floods force thousands from homes", lang="en")
    summary, points = summary_and_points(a)
    assert summary
    for line in (*summary, *points):
        source = a.sentences[line.cites[0].sentence].text
        assert not furniture(source), source
    shown = {line.cites[0].sentence for line in summary}
    for i in shown:
        assert not dependent(a.sentences[i].text) or i - 1 in shown, a.sentences[i].text
    assert all("(CNN)" not in line.text for line in summary)
    assert summary[0].text.startswith("Floods forced thousands")
