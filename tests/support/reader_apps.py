"""What the feed-reader apps' tests share: a store of a few articles from two publishers (one a
near copy of another's) and a hostile one, readers registered through the form, app passwords
made on the account page, follows, and a check that HTML handed to an app runs nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import lxml.html

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.pipeline import collect
from newsdesk.store import Store
from support.pages import NOW

PASSWORD = "correct horse battery"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_SECRET = re.compile(r'<p class="secret"><code>([^<]+)</code>')

FERRY = (
    "The harbour authority in Port Elling said on Monday that the new ferry terminal will open "
    "in September after two years of building work. Mayor Anna Lindqvist told reporters the "
    "terminal would carry four thousand passengers a day.\n\nThe project cost 80 million euros, "
    "the authority said, and the first ferries will sail to the islands twice a day."
)
RECORDS = [
    {
        "url": "https://harbour-times.example/ferry",
        "title": "Port Elling ferry terminal to open in September",
        "text": FERRY,
        "published": "2025-06-01T08:00:00+00:00",
        "source": "Harbour Times",
    },
    {
        "url": "https://harbour-times.example/fish",
        "title": "Fishing quotas cut for the northern fleet",
        "text": (
            "Fishing quotas for the northern fleet were cut by a fifth on Tuesday, the fisheries "
            "ministry in Oslo said. Trade unions said the cut would cost jobs in Tromso.\n\n"
            "Minister Erik Dahl defended the decision in parliament."
        ),
        "published": "2025-06-02T08:00:00+00:00",
        "source": "Harbour Times",
    },
    {
        "url": "https://valley-post.example/news/vineyard",
        "title": "Valley vineyards expect a record harvest",
        "text": (
            "Vineyards across the Rhone valley expect a record harvest this autumn after a warm "
            "spring, growers said on Wednesday.\n\nThe growers' union said prices would fall."
        ),
        "published": "2025-06-02T10:00:00+00:00",
        "source": "Valley Post",
    },
    {
        "url": "https://valley-post.example/news/ferry-terminal",
        "title": "Port Elling ferry terminal opens in September",
        "text": FERRY.replace("twice a day", "twice a day, weather permitting"),
        "published": "2025-06-01T09:00:00+00:00",
        "source": "Valley Post",
    },
    {
        "url": "https://harbour-times.example/hostile",
        "title": f"Hostile {XSS} headline",
        "text": f'A paragraph with {XSS} inside.\n\n<a href="javascript:alert(3)">click</a> here.',
        "published": "2025-06-02T11:00:00+00:00",
        "source": "Harbour Times",
    },
]


@dataclass(frozen=True)
class ReaderSite:
    base_url: str
    settings: Settings
    ids: dict[str, int]  # record url -> its article id (a near copy: its canonical's)


def build_store(folder: Path) -> tuple[Settings, dict[str, int]]:
    path = folder / "items.jsonl"
    path.write_text("".join(json.dumps({**r, "lang": "en"}) + "\n" for r in RECORDS))
    settings = Settings(db=str(folder / "reader.db"), workers=1)
    with build(settings) as app:
        batch = collect([path], NOW)
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
        assert not report.failures, report.failures
        with app.store.transaction() as repo:
            ids = {}
            for record in RECORDS:
                found = repo.article_id_by_url(record["url"])
                assert found is not None, record["url"]
                ids[record["url"]] = repo.duplicate_of(found) or found
    return settings, ids


@contextmanager
def client_login(site: ReaderSite, name: str, password: str) -> Iterator[httpx.Client]:
    """A feed-reader app logged in with ClientLogin: its Auth in every request's header."""
    with httpx.Client(base_url=site.base_url, timeout=10.0) as app:
        answer = app.post("/accounts/ClientLogin", data={"Email": name, "Passwd": password})
        assert answer.status_code == 200, answer.text
        auth = dict(line.split("=", 1) for line in answer.text.splitlines())["Auth"]
        app.headers["Authorization"] = f"GoogleLogin auth={auth}"
        yield app


@contextmanager
def register(site: ReaderSite, name: str) -> Iterator[httpx.Client]:
    """A browser-like client of a new reader, registered through the form (logged in)."""
    with httpx.Client(base_url=site.base_url, timeout=10.0) as client:
        token = _CSRF.search(client.get("/register").text)
        assert token
        form = {"name": name, "password": PASSWORD, "confirm": PASSWORD}
        answer = client.post("/register", data={**form, "csrf_token": token.group(1)})
        assert answer.status_code == 303, answer.text
        yield client


def new_app_password(client: httpx.Client, app_name: str) -> str:
    """Make an app password on the account page, as a reader does; the one shown once."""
    token = _CSRF.search(client.get("/account/apps").text)
    assert token
    made = client.post("/account/apps", data={"name": app_name, "csrf_token": token.group(1)})
    assert made.status_code == 201, made.text
    secret = _SECRET.search(made.text)
    assert secret, made.text
    return secret.group(1)


def follow(site: ReaderSite, user: str, kind: str, value: str, label: str) -> None:
    """What the follow buttons on the pages do, straight in the store the server reads."""
    with Store.open(site.settings.db_url, migrate=False) as store, store.transaction() as repo:
        found = repo.user_by_name(user)
        assert found is not None
        repo.follow(found.id, kind, value, label, utcnow())


def assert_inert(fragment: str) -> None:
    """The HTML an app is given runs nothing: no script or embedded element, no event handler
    attribute, no javascript: link (what was markup in the article arrives as text)."""
    tree = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "img", "iframe", "object", "embed", "style")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (name, value)
            assert not value.strip().lower().startswith("javascript:"), (name, value)
