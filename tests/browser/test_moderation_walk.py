"""A moderator's walk in a real headless Chromium, at a phone's width and a desktop's:
delete a reply through its confirm page and restore it, split a topic and merge it back,
delete the topic and restore it from the forum page. No step needs JavaScript's help,
and no page is wider than the window."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_walkthrough import CHROMEDRIVER, CHROMIUM, Walk, chromium, tinypier
from tests.servers import TINYPIER, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver",
    ),
]

from selenium.webdriver.common.by import By  # noqa: E402

NAME, PASSWORD = "mod", "a careful moderator"
TITLE = "Jam or jelly"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """Two forums and a moderator, served on a free loopback port."""
    data_dir = tmp_path / "data"
    tinypier(data_dir, "migrate")
    tinypier(data_dir, "forum", "create", "Kitchen", "--category", "Home")
    tinypier(data_dir, "forum", "create", "Garden", "--category", "Home")
    subprocess.run(
        [str(TINYPIER), "--data-dir", str(data_dir), "user", "create", NAME, "--role",
         "moderator", "--password-stdin"],
        input=PASSWORD, check=True, capture_output=True, text=True,
    )  # fmt: skip
    unthrottled = {**os.environ, "TINYPIER_POST_INTERVAL_SECONDS": "0"}
    with serving(data_dir, tmp_path / "tinypier.log", unthrottled) as url:
        yield url


class ModeratorWalk(Walk):
    def land(self, name: str) -> None:
        """A page reached: screenshot it and check nothing sticks out sideways."""
        self.snap(name)
        fits = self.browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        assert fits, f"{self.path} is wider than the {self.browser.get_window_size()} window"

    def follow(self, css: str, name: str) -> None:
        """Open a link by its address (links inside a closed <details> are not clickable)."""
        href = self.browser.find_element(By.CSS_SELECTOR, css).get_attribute("href")
        assert href
        self.browser.get(href)
        self.land(name)

    def press(self, css: str, name: str) -> None:
        self.browser.find_element(By.CSS_SELECTOR, css).click()
        self.land(name)

    def post(self, body: str) -> None:
        self.fill("body", body)
        self.press("form button[name='post']", "posted")


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_a_moderator_deletes_restores_splits_and_merges(
    site: str, tmp_path: Path, width: int
) -> None:
    with chromium(tmp_path / "profile", width, 900) as browser:
        walk = ModeratorWalk(browser, site, tmp_path)
        walk.open("/login", "login")
        walk.fill("login-name", NAME)
        walk.fill("login-password", PASSWORD)
        walk.press("main form[action='/login'] button[type='submit']", "logged-in")
        walk.open("/forums/1/new", "new-topic")
        walk.fill("title", TITLE)
        walk.post("Which do you prefer?")
        topic = walk.path.split("?")[0].split("#")[0]
        for reply in ("Jam, always.", "Off topic: my tomatoes are ripe.", "Tomatoes love sun."):
            walk.open(f"{topic}/reply", "reply")
            walk.post(reply)
        posts = [
            element.get_attribute("id") or ""
            for element in browser.find_elements(By.CSS_SELECTOR, "article.post")
        ]
        jam, tomatoes = posts[1].removeprefix("post-"), posts[2].removeprefix("post-")

        walk.follow(f"a[href='/posts/{jam}/delete']", "confirm-delete-post")
        assert "Delete this post by mod" in walk.text("main h1")
        walk.press("main form button.danger", "post-deleted")
        assert "[deleted]" in walk.text(f"#post-{jam}")
        walk.press(f"#post-{jam} form[action='/posts/{jam}/restore'] button", "post-restored")
        assert "[deleted]" not in walk.text(f"#post-{jam}")

        walk.follow(f"a[href='/posts/{tomatoes}/split']", "confirm-split")
        walk.fill("split-title", "Tomatoes")
        browser.find_element(By.CSS_SELECTOR, "#split-forum option[value='2']").click()
        walk.press("main form button.danger", "split-done")
        assert "Tomatoes" in walk.text("main h1")
        assert "Garden" in walk.text(".breadcrumbs")

        walk.follow("a[href$='/merge']", "confirm-merge")
        walk.fill("merge-into", topic.removeprefix("/topics/"))
        walk.press("main form button.danger", "merged")
        assert walk.path.startswith(topic)
        assert "Tomatoes love sun." in walk.text("main")

        walk.follow(f"a[href='{topic}/delete']", "confirm-delete-topic")
        walk.press("main form button.danger", "topic-deleted")
        assert TITLE in walk.text(".deleted-topics")
        walk.press(".deleted-topics form button", "topic-restored")
        assert TITLE in walk.text("main h1")
