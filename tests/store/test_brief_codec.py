"""The brief's JSON form: nested dataclasses come back as they went in; corrupt JSON is refused."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newsdesk.errors import StoreError
from newsdesk.models import (
    Brief,
    Cite,
    EntityMention,
    Figure,
    Line,
    Quote,
    SourceAngle,
    TimelineEvent,
    WhoEntry,
)
from newsdesk.store.brief_codec import decode_brief, decode_teaser, encode_brief


def full_brief() -> Brief:
    """A brief with every field set and every nested type present, non-ASCII included."""
    cite = Cite(sentence=2, article_id=41)
    return Brief(
        lang="en",
        available=True,
        note="partial: ü",
        sentences=("Kyiv and Moscow swapped prisoners.", "Zelensky said “all came home”."),
        summary=(Line("Ukraine and Russia exchanged 1,000 prisoners.", (cite, Cite(0))),),
        key_points=(Line("First swap since May."), Line("UAE mediated.", (Cite(1, None),))),
        entities=(EntityMention("Umerov", "PERSON", "Rustem Umerov", 10, 16),),
        who=(
            WhoEntry("Rustem Umerov", "PERSON", "defence minister", 3, (cite,)),
            WhoEntry("Kyiv", "PLACE"),
        ),
        quotes=(Quote("All came home.", "Volodymyr Zelensky", (Cite(1),)), Quote("No.", None)),
        figures=(Figure("1,000", None, "prisoners of war", (cite,)), Figure("2.5", "%", "rise")),
        hashtags=("#PrisonerExchange", "#Ukraine"),
        timeline=(TimelineEvent("2025-05-23", "The swap began.", (cite,)),),
        angles=(SourceAngle("Kyiv Independent", (Line("Names the soldiers.", (cite,)),)),),
    )


def test_round_trip_gives_the_same_nested_dataclasses() -> None:
    brief = full_brief()
    back = decode_brief(encode_brief(brief))
    assert back == brief
    assert isinstance(back.summary, tuple) and isinstance(back.summary[0].cites[0], Cite)
    assert isinstance(back.angles[0].lines[0], Line)
    assert back.key_points[1].cites[0].article_id is None


def test_json_is_plain_asdict_with_utf8_kept() -> None:
    text = encode_brief(full_brief())
    assert "“all came home”" in text
    assert json.loads(text)["who"][0]["role"] == "defence minister"


def test_missing_keys_take_defaults_and_unknown_keys_are_ignored() -> None:
    back = decode_brief('{"lang": "de", "available": false, "future_field": [1]}')
    assert back == Brief(lang="de", available=False)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"lang": 3}',
        '{"lang": "en", "summary": "text"}',
        '{"lang": "en", "summary": [{"cites": []}]}',
        '{"lang": "en", "entities": [{"text": "a", "type": "P", "canonical": "a",'
        ' "start": true, "end": 1}]}',
    ],
)
def test_a_corrupt_brief_is_a_store_error(text: str) -> None:
    with pytest.raises(StoreError, match=r"^store: "):
        decode_brief(text)


def test_teaser_read_from_json_matches_the_briefs_own() -> None:
    cases = [
        full_brief(),
        replace(full_brief(), summary=()),  # key points stand in
        replace(full_brief(), available=False, note="not available for de"),
        Brief(lang="en"),
    ]
    for brief in cases:
        assert decode_teaser(encode_brief(brief)) == brief.teaser()
    assert full_brief().teaser().lead == "Ukraine and Russia exchanged 1,000 prisoners."
    assert replace(full_brief(), summary=()).teaser().lead == "First swap since May. UAE mediated."
    with pytest.raises(StoreError, match="no readable lead"):
        decode_teaser('{"summary": [{"no text": 1}]}')
