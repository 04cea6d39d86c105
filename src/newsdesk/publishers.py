"""One name per publisher: the one function that decides what a source is called.

Sources, sightings and cards all show the name `publisher_name` gives, in this order:

1. the curated table (publishers.json: the big outlets, by host suffix down to the registrable
   domain, so "edition.cnn.com" and "amp.theguardian.com" fold into their outlet);
2. the page's or feed's own claim (og:site_name, JSON-LD publisher, application-name, a feed
   title), cleaned: a tagline or section cut off ("The Guardian | Latest news" -> "The
   Guardian"), a page title or a host name refused, case mended only when it is all capitals
   or all lower case;
3. the registrable domain as written ("example.org").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from newsdesk.domains import registrable_domain

MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 7  # "The Atlanta Journal-Constitution"; more words is a headline or a tagline

# " | ", " - ", " – ", ": ", " · ", " » ", "｜": where a tagline or section starts.
_SEPARATOR = re.compile(r"\s+[|\-–—·•»:/]{1,2}\s+|\s*[｜|]\s*|:\s+")
_HOST_LIKE = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)/?$", re.I)
_KEY = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_LOWER_WORDS = frozenset(
    {"a", "an", "and", "at", "de", "del", "der", "des", "di", "die", "das", "du", "el", "en",
     "for", "in", "la", "le", "les", "of", "on", "the", "to", "und", "y"}
)  # fmt: skip
_ARCHIVE_HOSTS = frozenset({"web.archive.org", "archive.org", "archive.ph", "archive.today"})
_EMBEDDED_URL = re.compile(r"(https?://[^/\s]+)")


@cache
def _table() -> dict[str, str]:
    data = files("newsdesk").joinpath("publishers.json").read_text(encoding="utf-8")
    return {domain.lower(): name for domain, name in json.loads(data).items()}


@cache
def _known_names() -> dict[str, str]:
    """The table's names by their key without a leading "The"; names sharing a key left out."""
    by_key: dict[str, set[str]] = {}
    for name in _table().values():
        by_key.setdefault(_bare_key(name), set()).add(name)
    return {key: names.pop() for key, names in by_key.items() if len(names) == 1}


def _bare_key(name: str) -> str:
    key = _key(name)
    return key[3:] if name.lower().startswith("the ") else key


def publisher_name(
    url: str | None, claims: Iterable[str | None] = (), *, title: str | None = None
) -> str | None:
    """The publisher's one display name for a page at url claiming those names, best first.

    title is the page's headline: a claim that repeats it is a page title, not a site name.
    None only when there is neither a usable claim nor a host.
    """
    host = page_host(url)
    if host:
        known = table_name(host)
        if known:
            return known
    for claim in claims:
        name = clean_site_name(claim, host=host, title=title)
        if name:
            # Without a host, a card's "Washington Post" is the table's "The Washington Post".
            return name if host else _known_names().get(_bare_key(name), name)
    return registrable_domain(host) if host else None


def table_name(host: str) -> str | None:
    """The curated name for a host, by its longest listed suffix within the registrable domain."""
    host = host.lower().strip(".")
    domain = registrable_domain(host)
    labels = host.split(".")
    table = _table()
    for start in range(len(labels)):
        suffix = ".".join(labels[start:])
        if suffix in table:
            return table[suffix]
        if suffix == domain:
            break
    return None


def page_host(url: str | None) -> str | None:
    """The lower-case host of a page URL; an archived copy's original host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().strip(".")
    if host in _ARCHIVE_HOSTS:
        inner = _EMBEDDED_URL.search(parts.path)
        if inner:
            return page_host(inner.group(1))
    return host or None


def clean_site_name(
    claim: str | None, *, host: str | None = None, title: str | None = None
) -> str | None:
    """A site's claimed name made fit to show, or None when it is no name at all."""
    if not claim:
        return None
    text = " ".join(claim.split()).strip(" -|:·")
    if not text:
        return None
    host_like = _HOST_LIKE.match(text)
    if host_like:
        # "theguardian.com" as a name: the table knows it, or the domain stands as written.
        named = host_like.group(1).lower()
        return table_name(named) or (registrable_domain(named) if not host else None)
    part = _pick_part(text, host)
    if not part or len(part) > MAX_NAME_CHARS or len(part.split()) > MAX_NAME_WORDS:
        return None
    if title and _key(part) == _key(title):
        return None
    if host and part.islower() and " " not in part and _key(part) in _key(host):
        return None  # "financialpost": a host label, not a name
    return _mend_case(part)


def _pick_part(text: str, host: str | None) -> str | None:
    # "The Guardian | Latest news" and "World news | The Guardian": the part naming the host;
    # else a short first part (a tagline follows the name) or a short last part (a headline
    # or tagline comes before it: "Breaking news and headlines - 9News").
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) <= 1:
        return text
    if host:
        label = _key(registrable_domain(host).split(".")[0])
        host_key = _key(host)
        for part in parts:
            key = _key(part)
            if len(key) >= 2 and (key in host_key or (len(label) >= 3 and label in key)):
                return part
    short = MAX_NAME_WORDS // 2 + 1
    for part in (parts[0], parts[-1]):
        if len(part.split()) <= short:
            return part
    return None


def _mend_case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cased = [c for c in letters if c.lower() != c.upper()]
    # Only a name written in a cased script is mended: "日刊ゲンダイDIGITAL" stays as it is.
    if len(cased) < len(letters) or not (text.isupper() or text.islower()):
        if text.split()[0] in _LOWER_WORDS:  # "the Guardian" -> "The Guardian"
            return text[0].upper() + text[1:]
        return text
    words = text.split()
    if len(words) == 1 and (text.islower() or len(text) <= 5 or _DIGIT.search(text)):
        return text  # "CNN", "WAZ", "LBCIV7": an acronym; "taz", "heise": a brand written so
    mended = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower in _LOWER_WORDS:
            mended.append(lower)
        elif text.isupper() and len(word) <= 3 and lower not in _LOWER_WORDS:
            mended.append(word)  # "AP NEWS" -> "AP News", "BBC NEWS" -> "BBC News"
        else:
            mended.append(word[:1].upper() + word[1:].lower())
    return " ".join(mended)


def _key(text: str) -> str:
    return _KEY.sub("", text).casefold()
