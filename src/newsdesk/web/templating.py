"""Jinja filters for the pages: humanized times, search marks, citation links."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from newsdesk.dates import utcnow
from newsdesk.humanize import count, dateline, time_ago
from newsdesk.models import Cite
from newsdesk.section_names import slug
from newsdesk.serialize import aware
from newsdesk.web.section_bar import section_bar
from newsdesk.web.static_files import static_url

_MARK = re.compile(r"\[([^\[\]]*)\]")


def ago(when: datetime | None) -> str:
    """ "3 hours ago" (naive times are UTC)."""
    return time_ago(aware(when), utcnow())


def when(item: object) -> Markup:
    """An article's, hit's or sighting's publication time as a <time>, or "undated"; never the
    time it was stored or seen."""
    published = aware(getattr(item, "published", None))
    if published is None:
        return Markup('<span class="undated">undated</span>')
    said = dateline(
        published,
        utcnow(),
        approx=bool(getattr(item, "published_approx", False)),
        modified=aware(getattr(item, "modified", None)),
    )
    return Markup(f'<time datetime="{escape(published.isoformat())}">{escape(said)}</time>')


def updated(last: datetime | None) -> Markup:
    """ "updated <time>3 hours ago</time>" for a story's latest dated coverage, or "undated"."""
    value = aware(last)
    if value is None:
        return Markup('<span class="undated">undated</span>')
    said = escape(time_ago(value, utcnow()))
    return Markup(f'updated <time datetime="{escape(value.isoformat())}">{said}</time>')


def absolute(when: datetime | None) -> str:
    """ "4 Dec 2026, 14:20 UTC": the exact time a relative one stands for (shown on hover)."""
    value = aware(when)
    return f"{value.day} {value:%b %Y, %H:%M} UTC" if value else ""


def iso(when: datetime | None) -> str:
    value = aware(when)
    return value.isoformat() if value else ""


def marked(snippet: str) -> Markup:
    """The store's [match] marks as <mark>; everything else escaped."""
    out: list[str] = []
    last = 0
    for match in _MARK.finditer(snippet):
        out.append(str(escape(snippet[last : match.start()])))
        out.append(f"<mark>{escape(match.group(1))}</mark>")
        last = match.end()
    out.append(str(escape(snippet[last:])))
    return Markup("".join(out))


def cite_href(cite: Cite, article_id: int | None = None) -> str:
    """The link to a cited sentence: /article/AID#sN (a story cite names its article)."""
    target = cite.article_id if cite.article_id is not None else article_id
    if target is None:
        return f"#s{cite.sentence}"
    return f"/article/{target}#s{cite.sentence}"


def tag_name(tag: str) -> str:
    """ "#PrisonerExchange" -> "PrisonerExchange" (the /tag/ path segment)."""
    return tag.lstrip("#")


def csrf_token(request: Request) -> str:
    """The CSRF token forms of this request must send back (auth's middleware sets it)."""
    token: str = request.state.csrf_secret
    return token


def install_filters(templates: Jinja2Templates) -> None:
    env = templates.env
    env.filters["ago"] = ago
    env.filters["iso"] = iso
    env.filters["absolute"] = absolute
    env.filters["when"] = when
    env.filters["updated"] = updated
    env.filters["marked"] = marked
    env.filters["tag_name"] = tag_name
    env.filters["count"] = count  # {{ n|count("article") }}: "1 article", "2 articles"
    env.globals["cite_href"] = cite_href
    env.globals["static_url"] = static_url  # fingerprinted: /static/site.<hash>.css
    env.globals["csrf_token"] = csrf_token
    env.globals["section_bar"] = section_bar  # the header's sections with stories
    env.filters["section_slug"] = slug  # "United States" -> "united-states"
