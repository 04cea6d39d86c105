"""The article's headline, not the site's name.

trafilatura already weighs <h1>, og:title and <title> well; what it leaves in is the
" | Site Name" or " – DW – 13.06.2023" tail of a metadata title. We cut a leading or trailing
part only when it names the site (og:site_name, the publisher, the host) or is a date, never
by length alone: "Zwei Rücktritte - und viele offene Fragen" is one headline.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsdesk.extract.pagemeta import PageMeta
from newsdesk.sanitize import one_line

# " | Site", " - Site", " – DW – 13.06.2023", "：朝日新聞デジタル", "｜日刊ゲンダイDIGITAL"
_SEPARATOR = re.compile(r"\s+[|\-–—·•»:]{1,2}\s+|\s*[｜：|]\s*")
_ALNUM = re.compile(r"\W+")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_MAX_LABEL_WORDS = 4
_MIN_SITE_KEY = 2  # "DW" is a site name; a lone letter is not
_GENERIC_HOST_LABELS = {"www", "m", "amp", "news", "com", "org", "net", "co", "blog", "blogs"}


def choose_title(
    page: PageMeta, trafilatura_title: str | None, site_name: str | None, url: str | None = None
) -> str | None:
    """The headline of the article, or None when the page has none."""
    sites = [s for s in (page.first("og:site_name", "application-name"), site_name) if s]
    sites += [
        p["name"]
        for p in page.ld_values("publisher")
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    ]
    sites += _host_labels(url)
    for candidate in (trafilatura_title, page.first("og:title", "twitter:title"), page.title_tag):
        text = one_line(candidate, limit=300)
        if text:
            return strip_site_name(text, sites) or text
    return None


def _host_labels(url: str | None) -> list[str]:
    host = urlsplit(url).hostname if url else None
    if not host:
        return []
    labels = host.split(".")[:-1]  # the top-level domain names no site
    return [label for label in labels if label not in _GENERIC_HOST_LABELS]


def strip_site_name(title: str, sites: list[str]) -> str:
    """The title without a trailing (or leading) site name, section or date."""
    parts = [p for p in _SEPARATOR.split(title) if p.strip()]
    separators = _SEPARATOR.findall(title)
    if len(parts) < 2 or len(separators) != len(parts) - 1:
        return title
    site_keys = {key for s in sites if len(key := _key(s)) >= _MIN_SITE_KEY}
    start, end = 0, len(parts)
    while end - start > 1 and _is_label(parts[end - 1], site_keys):
        end -= 1
    if end - start > 1 and _is_label(parts[0], site_keys):
        start = 1
    if (start, end) == (0, len(parts)):
        return title
    # Rebuild with the original separators, so "Ukraine: the latest" keeps its colon.
    kept = parts[start]
    for index in range(start + 1, end):
        kept += separators[index - 1] + parts[index]
    return kept.strip()


def _is_label(part: str, site_keys: set[str]) -> bool:
    """A part of a title that names the site or dates the page."""
    if _DATE.match(part.strip()):
        return True
    key = _key(part)
    if len(key) < _MIN_SITE_KEY:
        return False
    # "Golem.de" for golem, "CBC News" for cbc; but not a clause that mentions the site.
    short = len(part.split()) <= _MAX_LABEL_WORDS
    return any(key in s or (short and s in key) for s in site_keys)


def _key(text: str) -> str:
    return _ALNUM.sub("", text.casefold())
