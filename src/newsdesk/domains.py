"""The registrable domain of a host ("news.bbc.co.uk" -> "bbc.co.uk"), without the PSL.

A small built-in rule instead of the Public Suffix List (no extra dependency, nothing to
download): a country-code TLD whose second level is a generic label (co, com, org, gov, ...)
is a two-label suffix. This is right for the news sites that matter here (bbc.co.uk,
smh.com.au, asahi.co.jp) and errs on the safe side elsewhere: a wrong answer only makes a
page's canonical link be ignored, never trusted across owners, except under the few shared
hosting suffixes listed below, which are treated as suffixes too.
"""

from __future__ import annotations

import ipaddress

_GENERIC_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "gob", "go", "gov", "govt", "info", "ltd", "mil", "ne", "net",
     "nhs", "nic", "nom", "or", "org", "plc", "sch", "web", "biz", "press", "news", "mod"}
)  # fmt: skip
# Hosting suffixes where each subdomain belongs to a different owner.
_SHARED_SUFFIXES = frozenset(
    {"blogspot.com", "github.io", "wordpress.com", "substack.com", "medium.com", "tumblr.com",
     "appspot.com", "herokuapp.com", "netlify.app", "pages.dev", "vercel.app", "web.app"}
)  # fmt: skip


def registrable_domain(host: str) -> str:
    """The owner-level domain of a lower-case host; an IP address or one-label host as is."""
    host = host.strip(".").lower()
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    # Blogger serves every blog under each country's domain too (x.blogspot.nl, y.blogspot.co.uk).
    if "blogspot" in labels[1:-1]:
        return ".".join(labels[labels.index("blogspot", 1) - 1 :])
    suffix_len = 1
    if ".".join(labels[-2:]) in _SHARED_SUFFIXES or (
        len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL
    ):
        suffix_len = 2
    return ".".join(labels[-(suffix_len + 1) :])
