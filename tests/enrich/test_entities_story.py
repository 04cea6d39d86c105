"""A story's who's who: one entry per referent across its articles, short and clean."""

from __future__ import annotations

from newsdesk.enrich.who import MAX_STORY_WHO, story_who
from newsdesk.models import Cite, WhoEntry


def _who(*entries: tuple[str, str, int]) -> tuple[WhoEntry, ...]:
    return tuple(WhoEntry(name, kind, None, n, (Cite(0),)) for name, kind, n in entries)


def _names(entries: tuple[WhoEntry, ...]) -> dict[str, tuple[str, int]]:
    return {w.name: (w.type, w.mentions) for w in entries}


def test_short_forms_join_the_full_name() -> None:
    merged = story_who(
        [
            (1, _who(("Lindsay Lohan", "PERSON", 3), ("Rancho Mirage", "PLACE", 1))),
            (2, _who(("Lohan", "ORG", 2), ("Von der Leyen", "ORG", 1))),
            (3, _who(("Ursula von der Leyen", "PERSON", 2), ("Ursula von der", "PERSON", 1))),
        ]
    )
    names = _names(merged)
    assert names["Lindsay Lohan"] == ("PERSON", 5)
    assert names["Ursula von der Leyen"] == ("PERSON", 4)
    assert not {"Lohan", "Von der Leyen", "Ursula von der"} & set(names)


def test_type_follows_most_mentions_across_articles() -> None:
    merged = story_who(
        [
            (1, _who(("Donald Trump", "ORG", 1))),
            (2, _who(("Donald Trump", "PERSON", 4))),
            (3, _who(("Donald Trump", "PERSON", 2))),
        ]
    )
    assert _names(merged) == {"Donald Trump": ("PERSON", 7)}


def test_acronyms_and_middle_names_fold() -> None:
    merged = story_who(
        [
            (1, _who(("European Central Bank", "ORG", 2), ("Mark Jay Heller", "PERSON", 1))),
            (2, _who(("ECB", "ORG", 3), ("Mark Heller", "PERSON", 2))),
        ]
    )
    names = _names(merged)
    assert names["European Central Bank"] == ("ORG", 5)
    assert names["Mark Heller"] == ("PERSON", 3)
    assert len(names) == 2


def test_a_place_is_not_a_surname() -> None:
    merged = story_who(
        [(1, _who(("Michael Jordan", "PERSON", 3))), (2, _who(("Jordan", "PLACE", 2)))]
    )
    assert _names(merged) == {"Michael Jordan": ("PERSON", 3), "Jordan": ("PLACE", 2)}


def test_a_wide_story_keeps_what_several_articles_name() -> None:
    articles = [
        (i, _who(("Tara Reid", "PERSON", 2), (f"Bystander {chr(65 + i)}", "PERSON", 1)))
        for i in range(6)
    ]
    articles.append((9, _who(*[(f"Person {chr(65 + k)} Smith", "PERSON", 3) for k in range(20)])))
    merged = story_who(articles)
    names = _names(merged)
    assert names["Tara Reid"] == ("PERSON", 12)
    assert not any(n.startswith("Bystander") for n in names)
    assert sum(w.type == "PERSON" for w in merged) <= MAX_STORY_WHO["PERSON"]
