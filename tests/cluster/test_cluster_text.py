"""article_text_for_embedding: title + lead, bounded, the title never twice."""

from __future__ import annotations

from newsdesk.cluster import article_text_for_embedding, event_details


def test_title_then_lead_within_the_word_budget() -> None:
    body = " ".join(f"w{i}" for i in range(200))
    out = article_text_for_embedding("Quake hits city", body, max_words=10)
    assert out == "Quake hits city. w0 w1 w2 w3 w4 w5 w6"
    assert len(out.split()) == 10


def test_lead_that_repeats_the_title_is_not_doubled() -> None:
    title = "Perennial party girl Tara Reid checked herself into rehab."
    text = f"{title}\nHer rep told the magazine."
    out = article_text_for_embedding(title, text)
    assert out == f"{title} Her rep told the magazine."


def test_whitespace_is_collapsed_and_punctuation_kept() -> None:
    assert article_text_for_embedding("  A  title? ", "one\n\ntwo") == "A title? one two"


def test_missing_parts() -> None:
    assert article_text_for_embedding("", "only body here") == "only body here"
    assert article_text_for_embedding("Only title", "") == "Only title"
    assert article_text_for_embedding("", "") == ""


def test_long_title_is_cut() -> None:
    title = " ".join(["word"] * 100)
    assert article_text_for_embedding(title, "body", max_words=80) == " ".join(["word"] * 80)


def test_event_details_are_the_numbers_of_title_and_lead() -> None:
    title = "Magnitude 6.1 quake kills 13 in Indonesia"
    text = (
        "JAKARTA, Oct. 3, 2008 - The 6.1-magnitude quake killed 13 people and left 1,200 "
        "homeless at 5:40 p.m., a 1.5-point rise, version 2.0.1, one of 2 towns hit."
    )
    assert event_details(title, text) == frozenset({"6.1", "13", "3", "2008", "1200", "2"})
    assert event_details("", "") == frozenset()
    # only the lead counts: numbers deep in the body are background
    body = " ".join(["word"] * 100) + " 1999 77"
    assert event_details("Title", body) == frozenset()


def test_story_evidence_counts_letters_beyond_the_title_only() -> None:
    from newsdesk.cluster import may_share_story
    from newsdesk.cluster.text import story_evidence

    assert story_evidence("Item 17", "Item 17") == 0  # a title-only item: its text is its title
    assert story_evidence("Item 17", "Item 17 — 2025-03-01 10:00, #17") == 0  # digits, marks
    assert not may_share_story("Breaking: markets fall", "Read more")
    lead = "Stocks fell sharply in Tokyo on Monday as investors weighed new tariffs."
    assert may_share_story("Markets fall", lead)
    assert may_share_story(
        "東京株式市場",
        "東京株式市場で日経平均株価が大幅に下落し、投資家は新たな関税の影響を見極めようとしている。市場関係者によると売りが広がった。",
    )
