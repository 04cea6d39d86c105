"""First names and the sex most of their bearers have, from the US Census 1990 lists."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import resources

# Words before a name that are not its first word ("Mrs. Hillary Clinton").
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "sir", "madam"})

_FIRST_NAME_SHARE = 0.8  # a first name decides a gender when this share of its bearers have it


@cache
def _first_names() -> dict[str, str]:
    """First name (upper case) -> 'm' or 'f', from the US Census 1990 first-name lists that the
    `names` package ships (MIT; the data is public domain).

    Each list gives a name's share of that sex's population; a name used by both ("Kelly",
    "Chris") decides only when one sex holds _FIRST_NAME_SHARE of its bearers.
    """
    share: dict[str, dict[str, float]] = defaultdict(dict)
    root = resources.files("names")  # a declared dependency
    for sex, filename in (("m", "dist.male.first"), ("f", "dist.female.first")):
        for line in root.joinpath(filename).read_text(encoding="ascii").splitlines():
            cols = line.split()
            if len(cols) >= 2:
                share[cols[0]][sex] = float(cols[1])
    out: dict[str, str] = {}
    for name, by_sex in share.items():
        total = sum(by_sex.values())
        sex, top = max(by_sex.items(), key=lambda kv: kv[1])
        if total > 0 and top / total >= _FIRST_NAME_SHARE:
            out[name] = sex
    return out


def first_name_gender(name: str) -> str | None:
    """'m' or 'f' from the first word of a full name ("Carly Fiorina"), else None.

    A single word is not read as a first name: "Clinton" alone is a surname.
    """
    words = [w for w in name.replace(".", ". ").split() if w.lower().rstrip(".") not in _HONORIFICS]
    if len(words) < 2 or not words[0].isalpha():
        return None
    return _first_names().get(words[0].upper())
