"""Plain-text aggregator pages: the seed page and synthetic variants of other layouts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import ExtractionError
from newsdesk.extract.reltime import capture_stamp
from newsdesk.extract.textpage import (
    looks_like_text_page,
    parse_text_page,
    resolve_relative_time,
)
from support.corpus import CORPUS, SEED

NOW = datetime(2025, 6, 5, 12, 0, tzinfo=UTC)
# The page's own capture stamp, three days before it is read: relative times count from it.
CAPTURED = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
STAMP = "Captured: 2025-06-02 12:00 UTC\n"
CHROME = (
    "Hashtags",
    "Try Our AI Features",
    "Comments",
    "No comments yet",
    "Related Articles",
    "can do for you:",
)
PARA_1 = (
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "public transport by a fifth over the next two years."
)
PARA_2 = (
    "Officials said the money would pay for new buses, longer opening hours and cheaper "
    "tickets for students and pensioners across the region."
)
CARD_BODY = (
    "Engineers finished the first section of the new bridge ahead of schedule, and traffic "
    "is expected to use it before the end of the summer."
)


def _seed() -> str:
    if not SEED.exists():
        pytest.skip("the seed page is not beside the repo")
    return SEED.read_text(encoding="utf-8")


# ---- the seed page --------------------------------------------------------------------------


def test_seed_main_article() -> None:
    items = parse_text_page(_seed(), now=NOW, origin="file:///seed.txt")
    main = items[0]
    assert main.title == "Ukraine and Russia agree on further prisoner swap after brief talks"
    assert main.source == "unknown"
    assert main.source_url == "file:///seed.txt"
    assert main.text is not None
    assert main.text.endswith("but the two sides remain far apart on core issues.")
    for label in CHROME:
        assert label not in main.text
    assert "Explore what" not in main.text
    assert "North Korea" not in main.text


def test_seed_source_parameter() -> None:
    assert parse_text_page(_seed(), now=NOW, source="Daily feed")[0].source == "Daily feed"


def test_seed_subheadings_are_own_paragraphs() -> None:
    paragraphs = parse_text_page(_seed(), now=NOW)[0].text.split("\n\n")  # type: ignore[union-attr]
    assert "Second round of talks was brief" in paragraphs
    assert "List of 'abducted' children" in paragraphs
    assert "Russia proposes two ceasefire options" in paragraphs
    glued = [p for p in paragraphs if "Ukraine said it would review the proposal." in p]
    assert len(glued) == 1 and glued[0].endswith("Ukraine said it would review the proposal.")


def test_seed_cards_without_a_capture_stamp_are_undated() -> None:
    items = parse_text_page(_seed(), now=NOW, origin="file:///seed.txt")
    assert [i.source for i in items[1:]] == ["Washington Post", "CNN", "CNN"]
    assert all(i.published is None and not i.published_approx for i in items)


def test_seed_cards() -> None:
    items = parse_text_page(STAMP + _seed(), now=NOW, origin="file:///seed.txt")
    assert [i.source for i in items[1:]] == ["Washington Post", "CNN", "CNN"]
    post, cnn, cnn_again = items[1:]
    assert post.title == (
        "North Korea's Kim says he'll 'unconditionally support' Russia's war against Ukraine"
    )
    assert post.text is not None and post.text.startswith("SEOUL, South Korea")
    assert post.published == CAPTURED - timedelta(minutes=31) and post.published_approx
    assert cnn.title == "US vetoes UN Security Council resolution demanding Gaza ceasefire"
    assert cnn.published == CAPTURED - timedelta(hours=1)
    assert cnn.text is not None and cnn.text.endswith("most of whom are women and children.")
    assert cnn == cnn_again  # both kept: dedup merges them later
    assert all(i.source_url == "file:///seed.txt" and i.url is None for i in items)


def test_seed_is_a_text_page() -> None:
    assert looks_like_text_page(_seed())


# ---- relative times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "delta"),
    [
        ("31 minutes ago", timedelta(minutes=31)),
        ("an hour ago", timedelta(hours=1)),
        ("2 hours ago", timedelta(hours=2)),
        ("yesterday", timedelta(days=1)),
        ("3 days ago", timedelta(days=3)),
        ("a week ago", timedelta(weeks=1)),
        ("just now", timedelta(0)),
        ("1 hr ago", timedelta(hours=1)),
        ("5 mins ago", timedelta(minutes=5)),
        ("2h", timedelta(hours=2)),
        ("2h ago", timedelta(hours=2)),
        ("45m", timedelta(minutes=45)),
        ("Updated 4 hours ago", timedelta(hours=4)),
        ("Published: two days ago", timedelta(days=2)),
        ("about 3 weeks ago", timedelta(weeks=3)),
        ("a few seconds ago", timedelta(0)),
        ("2 months ago", timedelta(days=60)),
        ("a year ago", timedelta(days=365)),
        ("  An Hour Ago  ", timedelta(hours=1)),
    ],
)
def test_relative_time(phrase: str, delta: timedelta) -> None:
    assert resolve_relative_time(phrase, NOW) == NOW - delta


@pytest.mark.parametrize(
    "phrase", ["", "CNN", "Washington Post", "in 5 minutes", "2025", "ago", "hours ago", "5 apples"]
)
def test_not_relative_time(phrase: str) -> None:
    assert resolve_relative_time(phrase, NOW) is None


def test_relative_time_naive_now_is_utc() -> None:
    when = resolve_relative_time("an hour ago", datetime(2025, 6, 5, 12, 0))
    assert when == NOW - timedelta(hours=1) and when.tzinfo is not None


# ---- synthetic layouts ----------------------------------------------------------------------


def test_other_chrome_labels_and_time_before_source() -> None:
    text = "\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            "Advertisement",
            PARA_2,
            "Share this article",
            "Tags:",
            "#budget #transport",
            "3 Comments",
            "Be the first to comment",
            "You may also like",
            "",
            "2 hours ago",
            "Reuters",
            "New bridge section opens early",
            CARD_BODY,
            "",
            "yesterday",
            "The Guardian",
            "Museum reopens after long renovation works",
            "The museum reopened its doors on Saturday after three years of renovation work on "
            "its roof and its galleries.",
        ]
    )
    main, bridge, museum = parse_text_page(text + "\n\n" + STAMP, now=NOW)
    assert main.text == f"{PARA_1}\n\n{PARA_2}"
    assert (bridge.source, bridge.title, bridge.text) == (
        "Reuters",
        "New bridge section opens early",
        CARD_BODY,
    )
    assert bridge.published == CAPTURED - timedelta(hours=2)
    assert museum.source == "The Guardian" and museum.published == CAPTURED - timedelta(days=1)
    assert museum.published_approx and museum.text and "Captured" not in museum.text


def test_one_line_headers_and_absolute_dates() -> None:
    text = "\n\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            "More from City Desk",
            "Reuters • 2h ago\nNew bridge section opens early\n" + CARD_BODY,
            "AP News · May 3, 2025\nMuseum reopens after renovation\n" + PARA_2,
            "2025-05-01 | BBC News\nPark gets new trees\n" + PARA_1,
        ]
    )
    main, *cards = parse_text_page(STAMP + text, now=NOW)
    assert main.text == PARA_1
    assert [(c.source, c.title) for c in cards] == [
        ("Reuters", "New bridge section opens early"),
        ("AP News", "Museum reopens after renovation"),
        ("BBC News", "Park gets new trees"),
    ]
    assert cards[0].published == CAPTURED - timedelta(hours=2)
    assert cards[1].published == datetime(2025, 5, 3, tzinfo=UTC)
    assert cards[2].published == datetime(2025, 5, 1, tzinfo=UTC)
    assert [c.published_approx for c in cards] == [True, False, False]
    unstamped = parse_text_page(text, now=NOW)[1:]
    assert [c.published for c in unstamped] == [None, cards[1].published, cards[2].published]


def test_cards_without_time() -> None:
    text = "\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            "Recommended for you",
            "Reuters",
            "- Reuters",
            "New bridge section opens early",
            CARD_BODY,
            "Associated Press",
            "- Associated Press",
            "Museum reopens after renovation",
            PARA_2,
        ]
    )
    main, bridge, museum = parse_text_page(text, now=NOW)
    assert main.text == PARA_1
    assert (bridge.source, bridge.title, bridge.text, bridge.published) == (
        "Reuters",
        "New bridge section opens early",
        CARD_BODY,
        None,
    )
    assert (museum.source, museum.title, museum.text) == (
        "Associated Press",
        "Museum reopens after renovation",
        PARA_2,
    )


def test_cards_without_any_header_split_at_blank_lines() -> None:
    text = "\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            "Related",
            "",
            "New bridge section opens early",
            CARD_BODY,
            "",
            "Museum reopens after renovation",
            PARA_2,
            "",
            "Tags",
            "Budget",
            "Transport",
        ]
    )
    main, bridge, museum = parse_text_page(text, now=NOW)
    assert main.text == PARA_1
    assert (bridge.source, bridge.title, bridge.text) == (
        "unknown",
        "New bridge section opens early",
        CARD_BODY,
    )
    assert museum.title == "Museum reopens after renovation" and museum.text == PARA_2


def test_card_right_after_article_without_a_label() -> None:
    text = "\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            PARA_2,
            "Reuters",
            "31 minutes ago",
            "New bridge section opens early",
            CARD_BODY,
        ]
    )
    main, bridge = parse_text_page(text, now=NOW)
    assert main.text == f"{PARA_1}\n\n{PARA_2}"
    assert bridge.source == "Reuters" and bridge.published is None  # no capture stamp: unknown


def test_no_cards_and_byline_and_date_under_title() -> None:
    text = "Council approves bigger transport budget\nBy Jane Roe\nMay 3, 2025\n\n" + PARA_1
    (main,) = parse_text_page(text, now=NOW, source="City Desk")
    assert (main.title, main.text, main.source) == (
        "Council approves bigger transport budget",
        PARA_1,
        "City Desk",
    )
    assert main.byline == "Jane Roe"
    assert main.published == datetime(2025, 5, 3, tzinfo=UTC)


def test_title_and_one_paragraph() -> None:
    (main,) = parse_text_page("A short headline\n" + PARA_1, now=NOW)
    assert (main.title, main.text, main.published) == ("A short headline", PARA_1, None)


def test_glued_subheading_split_after_a_sentence() -> None:
    text = "\n".join(
        [
            "Headline of the story here",
            "The plan was sent to lawmakers on Friday. Budget talks resume next week",
            "Lawmakers will meet again on Monday to discuss the details of the plan.",
        ]
    )
    paragraphs = parse_text_page(text, now=NOW)[0].text.split("\n\n")  # type: ignore[union-attr]
    assert paragraphs == [
        "The plan was sent to lawmakers on Friday.",
        "Budget talks resume next week",
        "Lawmakers will meet again on Monday to discuss the details of the plan.",
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The talks were hosted by the envoy of the U.S. Allies Rally Behind Plan",
        "The new clinic will be run by Dr. Jane Smith and her team",
        'He said the deal was "almost done." But talks went on.',
        "Prices rose again this month. Analysts expect more of the same in",
        "Officials met in Geneva on Monday. A",
        "The report was published by Acme Inc. Shares Rose Sharply",
    ],
)
def test_no_split_at_abbreviations_or_real_sentences(paragraph: str) -> None:
    text = f"Headline of the story here\n{paragraph}\n{PARA_1}"
    paragraphs = parse_text_page(text, now=NOW)[0].text.split("\n\n")  # type: ignore[union-attr]
    assert paragraphs == [paragraph, PARA_1]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = (
        "Council approves bigger transport budget\n\n"
        "The city council voted on Tuesday to approve a new budget that\n"
        "raises spending on public transport by a fifth over the next two\n"
        "years, the mayor's office said in a statement.\n\n"
        "Officials said the money would pay for new buses, longer opening\n"
        "hours and cheaper tickets for students and pensioners across the\n"
        "region.\n"
    )
    main = parse_text_page(wrapped, now=NOW)[0]
    assert main.text is not None
    assert main.text.split("\n\n") == [
        "The city council voted on Tuesday to approve a new budget that raises spending on "
        "public transport by a fifth over the next two years, the mayor's office said in a "
        "statement.",
        "Officials said the money would pay for new buses, longer opening hours and cheaper "
        "tickets for students and pensioners across the region.",
    ]


def test_control_characters_and_odd_whitespace_are_cleaned() -> None:
    text = (
        "\ufeffCouncil\u00a0approves  bigger\ttransport budget\r\n"
        "The city\x00 council\u200b voted\x07 on Tuesday to approve a new budget.\r\n"
    )
    main = parse_text_page(text, now=NOW)[0]
    assert main.title == "Council approves bigger transport budget"
    assert main.text == "The city council voted on Tuesday to approve a new budget."


def test_leading_navigation_and_header_before_title() -> None:
    text = "\n".join(["Skip to content", "Menu", "Reuters", "2h ago", "Budget approved", PARA_1])
    (main,) = parse_text_page(STAMP + text, now=NOW)
    assert (main.title, main.source, main.text) == ("Budget approved", "Reuters", PARA_1)
    assert main.published == CAPTURED - timedelta(hours=2) and main.published_approx


# ---- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t ", "\x00\x01"])
def test_empty_text_raises(text: str) -> None:
    with pytest.raises(ExtractionError, match="textpage"):
        parse_text_page(text, now=NOW)


@pytest.mark.parametrize(
    "text",
    [
        "Only a headline here",
        "Related Articles\nComments\nShare",
        "Headline\nToo short",
    ],
)
def test_no_article_raises(text: str) -> None:
    with pytest.raises(ExtractionError, match="no article"):
        parse_text_page(text, now=NOW)


HTML = "<!doctype html><html><head><title>T</title></head><body><p>" + PARA_1 + "</p></body></html>"


def test_html_is_not_a_text_page() -> None:
    assert not looks_like_text_page(HTML)
    assert not looks_like_text_page("Title line\n<div><p>" + PARA_1 + "</p><p>more</p></div>")
    with pytest.raises(ExtractionError, match="markup"):
        parse_text_page(HTML, now=NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"title": "x", "text": "' + PARA_1 + '"}', False),
        ('[{"a": 1}]', False),
        ('<?xml version="1.0"?><rss><channel></channel></rss>', False),
        ("", False),
        ("Headline only", False),
        ("Council approves bigger transport budget\n" + PARA_1, True),
        ("[Update] Council approves budget\n" + PARA_1, True),
    ],
)
def test_looks_like_text_page(text: str, expected: bool) -> None:
    assert looks_like_text_page(text) is expected


def test_title_before_header_cards() -> None:
    text = "\n".join(
        [
            "Council approves bigger transport budget",
            PARA_1,
            "New bridge section opens early",
            "Reuters",
            "2h ago",
            CARD_BODY,
            "Museum reopens after renovation",
            "BBC News · 5 hours ago",
            PARA_2,
        ]
    )
    main, bridge, museum = parse_text_page(STAMP + text, now=NOW)
    assert main.text == PARA_1
    assert (bridge.source, bridge.title, bridge.text) == (
        "Reuters",
        "New bridge section opens early",
        CARD_BODY,
    )
    assert (museum.source, museum.title, museum.text) == (
        "BBC News",
        "Museum reopens after renovation",
        PARA_2,
    )
    assert museum.published == CAPTURED - timedelta(hours=5) and museum.published_approx


def test_label_that_is_also_a_subheading_is_kept_before_a_long_paragraph() -> None:
    long_paragraph = f"{PARA_2} {PARA_1}"
    text = "\n".join(["A study of city buses", PARA_1, "Discussion", long_paragraph, "Comments"])
    text += "\nGreat article, thanks for writing it, I agree with every word of it!"
    (main,) = parse_text_page(text, now=NOW)
    assert main.text == f"{PARA_1}\n\nDiscussion\n\n{long_paragraph}"


def test_byline_and_date_on_one_line() -> None:
    text = f"Council approves budget\nBy Jane Roe | May 3, 2025 10:30 AM EDT\n{PARA_1}"
    (main,) = parse_text_page(text, now=NOW)
    assert main.byline == "Jane Roe"
    assert main.published == datetime(2025, 5, 3, 14, 30, tzinfo=UTC)  # 10:30 EDT
    assert main.text == PARA_1


STORIES = CORPUS / "stories" / "ecbplus_articles.jsonl"


@pytest.mark.skipif(not STORIES.exists(), reason="the shared corpus is not beside the repo")
def test_real_stories_as_text_pages_keep_every_sentence() -> None:
    """982 real articles, each rendered as "title / one sentence a line": one Item, text whole."""
    pages = kept = 0
    for line in STORIES.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if not story["text"].strip():
            continue
        pages += 1
        items = parse_text_page(f"{story['title']}\n{story['text']}", now=NOW)
        assert len(items) == 1, story["id"]
        title = " ".join(story["title"].split())
        assert items[0].title is not None and title.startswith(items[0].title), story["id"]
        sentences = [" ".join(s.split()) for s in story["text"].splitlines() if s.strip()]
        # Date lines under the title ("Updated: Apr 02, 2009 11:06 PM CEST") become `published`.
        kept += all(s in items[0].text for s in sentences if len(s.split()) > 8)  # type: ignore[operator]
    assert pages > 900
    assert kept / pages >= 0.99


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Captured: 2025-06-02 12:00 UTC", CAPTURED),
        ("Saved on 2 June 2025, 12:00", CAPTURED),
        ("Date: Mon, 02 Jun 2025 12:00:00 +0000", CAPTURED),
        ("Retrieved 2025-06-02T12:00:00Z", CAPTURED),
        ("Captured today", None),  # no date: anchors nothing
        ("Date: May 3, 2025", None),  # a date line under a headline is the article's own date
        ("Dated statements were issued on 2 June 2025", None),
    ],
)
def test_capture_stamp(line: str, expected: datetime | None) -> None:
    assert capture_stamp(line, NOW) == expected


def test_relative_times_do_not_age_with_the_reading_time() -> None:
    text = STAMP + "Budget approved\nReuters\n2h ago\n" + PARA_1
    early = parse_text_page(text, now=NOW)[0].published
    late = parse_text_page(text, now=NOW + timedelta(days=30))[0].published
    assert early == late == CAPTURED - timedelta(hours=2)
