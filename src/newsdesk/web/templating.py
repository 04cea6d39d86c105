"""Jinja filters for the pages: times (one shape: the moment filter), search marks, citation
links."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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


def relative(value: datetime, now: datetime) -> str:
    """ "3 hours ago", "just now", or for a time to come "in 5 minutes"."""
    if (value - now).total_seconds() >= 60:
        return "in " + time_ago(now, value).removesuffix(" ago")
    return time_ago(value, now)


def time_tag(value: datetime, said: str) -> Markup:
    """The one shape of a time on the pages: what it says, the exact time on hover."""
    return Markup(
        f'<time datetime="{escape(value.isoformat())}" title="{escape(absolute(value))}">'
        f"{escape(said)}</time>"
    )


def moment(when: datetime | None, missing: str = "undated") -> Markup:
    """Any time on a page: <time datetime="ISO" title="4 Dec 2026, 14:20 UTC">3 hours
    ago</time>; a time to come reads "in 5 minutes"; no time reads missing ("undated",
    "never")."""
    value = aware(when)
    if value is None:
        return Markup(f'<span class="undated">{escape(missing)}</span>')
    return time_tag(value, relative(value, utcnow()))


def when(item: object) -> Markup:
    """An article's, hit's or sighting's publication time as a moment, or "undated"; never the
    time it was stored or seen. "about 3 hours ago" when the time was read off "3 hours ago",
    and "· updated DATE" when the page changed well after."""
    published = aware(getattr(item, "published", None))
    if published is None:
        return moment(None)
    said = dateline(
        published,
        utcnow(),
        approx=bool(getattr(item, "published_approx", False)),
        modified=aware(getattr(item, "modified", None)),
    )
    return time_tag(published, said)


def absolute(when: datetime | None) -> str:
    """ "4 Dec 2026, 14:20 UTC": the exact time a relative one stands for (shown on hover)."""
    value = aware(when)
    if value is None:
        return ""
    value = value.astimezone(UTC)
    return f"{value.day} {value:%b %Y, %H:%M} UTC"


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
    env.filters["when"] = when
    env.filters["moment"] = moment  # {{ t|moment }}, {{ t|moment("never") }}
    env.filters["marked"] = marked
    env.filters["tag_name"] = tag_name
    env.filters["count"] = count  # {{ n|count("article") }}: "1 article", "2 articles"
    env.globals["cite_href"] = cite_href
    env.globals["static_url"] = static_url  # fingerprinted: /static/site.<hash>.css
    env.globals["csrf_token"] = csrf_token
    env.globals["section_bar"] = section_bar  # the header's sections with stories
    env.filters["section_slug"] = slug  # "United States" -> "united-states"
