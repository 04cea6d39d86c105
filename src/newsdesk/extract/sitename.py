"""The name a page gives its site: og:site_name, JSON-LD publisher, application-name."""

from __future__ import annotations

from typing import Any

from newsdesk.extract.pagemeta import PageMeta
from newsdesk.publishers import clean_site_name, page_host

# JSON-LD keys of the article naming who publishes it, best first.
_LD_KEYS = ("publisher", "isPartOf", "sourceOrganization")


def site_name_claims(page: PageMeta, trafilatura_sitename: str | None) -> list[str]:
    """Every name the page claims for its site, best first."""
    claims = [page.first("og:site_name")]
    for key in _LD_KEYS:
        claims += [_ld_name(value) for value in page.ld_values(key)]
    claims += [page.first("application-name", "apple-mobile-web-app-title"), trafilatura_sitename]
    return [claim for claim in claims if claim]


def choose_site_name(
    page: PageMeta, trafilatura_sitename: str | None, url: str | None, title: str | None
) -> str | None:
    """The first of the page's claims that is a site's name (not a host, tagline or headline)."""
    host = page_host(url)
    for claim in site_name_claims(page, trafilatura_sitename):
        name = clean_site_name(claim, host=host, title=title)
        if name:
            return name
    return None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) else None
    return None
