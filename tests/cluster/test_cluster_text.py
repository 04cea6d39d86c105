"""article_text_for_embedding: title + lead, bounded, the title never twice."""

from __future__ import annotations

from newsdesk.cluster import article_text_for_embedding


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
