"""newsboat (Debian's, a program none of us wrote) against the Google Reader API as a reader uses
it: its FeedHQ account type logs in with ClientLogin and an app password, lists the
subscriptions, reads each as an Atom stream, and writes back through edit-tag and
mark-all-as-read. It runs in tmux, driven by keys; the web and the API then show what it did.

newsboat and tmux come from `make system-deps`. Without them the test skips, unless CI=true:
then it fails, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.reader_apps import ReaderSite, follow, new_app_password, register

SCREEN_TIMEOUT = 20.0
FERRY = "https://harbour-times.example/ferry"
FISH = "https://harbour-times.example/fish"
HOSTILE = "https://harbour-times.example/hostile"
VINEYARD = "https://valley-post.example/news/vineyard"


def _programs() -> None:
    missing = [p for p in ("newsboat", "tmux") if shutil.which(p) is None]
    if missing:
        reason = f"{', '.join(missing)} missing (run `make system-deps`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the newsboat test cannot run: {reason}")
        pytest.skip(reason)


class Terminal:
    """One newsboat in a tmux server of its own (its own socket: no other session is touched)."""

    def __init__(self, folder: Path, command: list[str], env: dict[str, str]) -> None:
        self.socket = str(folder / "tmux.sock")
        self.env = env
        self._tmux("new-session", "-d", "-s", "nb", "-x", "120", "-y", "30", *command)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "nb")

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never showed; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "nb", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], env=self.env, timeout=10)


@pytest.fixture
def newsboat_home(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    _programs()
    env = {**os.environ, "HOME": str(tmp_path), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env.pop("TMUX", None)
    yield tmp_path, env


def _config(folder: Path, base_url: str, user: str, password: str) -> list[str]:
    (folder / "password").write_text(password)
    (folder / "urls").write_text("")
    (folder / "config").write_text(
        f'urls-source "feedhq"\nfeedhq-url "{base_url}"\nfeedhq-login "{user}"\n'
        f'feedhq-passwordfile "{folder / "password"}"\nfeedhq-min-items 100\n'
        'feedhq-flag-star "s"\n'
    )
    return [
        "newsboat",
        "-C",
        str(folder / "config"),
        "-c",
        str(folder / "cache.db"),
        "-u",
        str(folder / "urls"),
    ]


def _unread_line(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*command, "-x", "reload", "print-unread"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_newsboat_reads_stars_and_marks_all_read(
    reader_site: ReaderSite, newsboat_home: tuple[Path, dict[str, str]]
) -> None:
    folder, env = newsboat_home
    with register(reader_site, "boat-reader") as web:
        password = new_app_password(web, "newsboat")
        follow(reader_site, "boat-reader", "source", "Harbour Times", "Harbour Times")
        follow(reader_site, "boat-reader", "person", "Anna Lindqvist", "Anna Lindqvist")
        follow(reader_site, "boat-reader", "source", "Valley Post", "Valley Post")
        command = _config(folder, reader_site.base_url, "boat-reader", password)

        # Logging in, the subscription list and every stream: four articles unread (the ferry
        # story, reached through three follows, is one of them, once).
        assert _unread_line(command, env) == "4 unread articles"

        terminal = Terminal(folder, command, env)
        try:
            shown = terminal.wait_for("Your feeds")
            # newsboat's own three feeds, then ours in the order they were followed.
            assert "Harbour Times" in shown and "Valley Post" in shown
            terminal.keys("Down", "Down", "Down", "Enter")
            articles = terminal.wait_for("Articles in feed 'Harbour Times'")
            assert "Hostile headline" in articles and "Fishing quotas" in articles
            terminal.keys("Enter")  # opens the newest: the hostile one, read now
            article = terminal.wait_for("Article 'Hostile headline'")
            # What was markup in the article is text on the reader's screen.
            assert "<script>" in article
            terminal.keys("C-e")  # edit flags: "s" is the star (feedhq-flag-star)
            terminal.wait_for("Flags:")
            terminal.keys("s", "Enter")
            terminal.keys("q")
            terminal.wait_for("Articles in feed 'Harbour Times' (1 unread")
            terminal.keys("q")
            terminal.wait_for("Your feeds")
            terminal.keys("Down", "Down", "A")  # Valley Post: mark all read
            terminal.wait_for("Your feeds (1 unread")
            terminal.keys("Q")
        finally:
            terminal.close()

        ids = reader_site.ids
        # The API, as any other app sees it now.
        with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as app:
            login = app.post(
                "/accounts/ClientLogin", data={"Email": "boat-reader", "Passwd": password}
            )
            auth = login.text.split("Auth=")[1].strip()
            app.headers["Authorization"] = f"GoogleLogin auth={auth}"
            unread = app.get(
                "/reader/api/0/stream/items/ids",
                params={
                    "s": "user/-/state/com.google/reading-list",
                    "xt": "user/-/state/com.google/read",
                },
            ).json()
            assert [int(ref["id"]) for ref in unread["itemRefs"]] == [ids[FISH]]
            starred = app.get(
                "/reader/api/0/stream/items/ids", params={"s": "user/-/state/com.google/starred"}
            )
            assert [int(ref["id"]) for ref in starred.json()["itemRefs"]] == [ids[HOSTILE]]

        # The web: the starred article is saved for later on the reader's page.
        saved = web.get("/saved")
        assert saved.status_code == 200
        assert "Hostile headline" in saved.text
        assert "<script>window.__xss" not in saved.text

    # newsboat itself, syncing again: one unread left.
    assert _unread_line(command, env) == "1 unread articles"
