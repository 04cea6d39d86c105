"""A search hit's headline: fragments around the matches, words marked, made alike for both
databases."""

from __future__ import annotations

from newsdesk.store.headline import DELIMITER, MAX_WORDS, headline


def _words(fragment: str) -> list[str]:
    return fragment.strip("…").split()


def test_a_short_text_is_the_headline_with_its_matches_marked() -> None:
    text = "Lava reached the town of Grindavík overnight; the lava flow slowed."
    assert headline("Volcano", text, ["lava"]) == (
        "[Lava] reached the town of Grindavík overnight; the [lava] flow slowed."
    )


def test_case_and_accents_are_ignored_as_the_index_ignores_them() -> None:
    text = "The café in Grindavík closed. CAFE owners left."
    assert headline("", text, ["cafe", "grindavik"]) == (
        "The [café] in [Grindavík] closed. [CAFE] owners left."
    )


def test_two_fragments_in_text_order_with_ellipses_where_the_text_goes_on() -> None:
    filler = " ".join(f"w{n}" for n in range(200))
    text = f"{filler} the harbour opened. {filler} the harbour closed. {filler}"
    found = headline("Port", text, ["harbour"])
    first, second = found.split(DELIMITER)
    assert first.startswith("…") and second.endswith("…")
    assert "[harbour] opened" in first and "[harbour] closed" in second
    assert all(len(_words(part)) <= MAX_WORDS for part in (first, second))


def test_a_fragment_holding_every_word_is_shown_beside_an_earlier_one_holding_one() -> None:
    filler = " ".join(f"w{n}" for n in range(100))
    text = f"The port. {filler} The port strike ended. {filler}"
    found = headline("", text, ["port", "strike"])
    assert "[port] [strike] ended." in found  # the second fragment shows the first one found
    assert found.startswith("The [port].")


def test_the_title_when_only_it_matches_and_nothing_when_neither_does() -> None:
    assert headline("Harbour tides", "Tables for the week.", ["tides"]) == "Harbour [tides]"
    assert headline("Harbour tides", "Tables for the week.", ["storm"]) == ""


def test_a_word_repeated_ten_thousand_times_still_gives_two_short_fragments() -> None:
    text = "storm " * 10_000
    found = headline("", text, ["storm"])
    assert found.count("[storm]") <= 2 * MAX_WORDS
    assert len(found) < 1000


def test_words_inside_other_words_are_not_marked() -> None:
    assert headline("", "Portugal's ports reopened; the port too.", ["port"]) == (
        "Portugal's ports reopened; the [port] too."
    )
