"""A moderator's walk in a real headless Chromium, at a phone's width and a desktop's:
delete a reply through its confirm page and restore it, split a topic and merge it back,
delete the topic and restore it from the forum page. No step needs JavaScript's help,
and no page is wider than the window. After each step a member, in a browser of their
own, looks at the board: what the moderator did is what members see."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.browser.test_walkthrough import (
    BROWSER_TEST,
    Walk,
    chromium,
    create_member,
    screenshots,
    screenshots_of,
    tinypier,
)
from tests.browser.viewport import WIDTHS
from tests.servers import serving

pytestmark = BROWSER_TEST
__all__ = ["screenshots"]  # a fixture shared with the walkthrough

NAME, PASSWORD = "mod", "a careful moderator"
READER, READER_PASSWORD = "reader", "only here to read"
TITLE = "Jam or jelly"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """Two forums, a moderator and a member, served on a free loopback port."""
    data_dir = tmp_path / "data"
    tinypier(data_dir, "migrate")
    tinypier(data_dir, "forum", "create", "Kitchen", "--category", "Home")
    tinypier(data_dir, "forum", "create", "Garden", "--category", "Home")
    create_member(data_dir, NAME, PASSWORD, role="moderator")
    create_member(data_dir, READER, READER_PASSWORD)
    unthrottled = {**os.environ, "TINYPIER_POST_INTERVAL_SECONDS": "0"}
    with serving(data_dir, tmp_path / "tinypier.log", unthrottled) as url:
        yield url


class ModeratorWalk(Walk):
    """The moderator's browser: moderation tools are links and buttons by CSS selector."""

    def follow_href(self, css: str, name: str) -> None:
        """Open a link by its address (links inside a closed <details> are not clickable)."""
        href = self.browser.find_element(By.CSS_SELECTOR, css).get_attribute("href")
        assert href
        self.browser.get(href)
        self.snap(name)

    def press(self, css: str, name: str) -> None:
        self.leave_by(self.browser.find_element(By.CSS_SELECTOR, css), name)

    def post(self, body: str) -> None:
        self.fill("body", body)
        self.press("form button[name='post']", "posted")


class MemberView(Walk):
    """A member's own browser: what a page shows to someone who moderates nothing."""

    def sees(self, path: str, name: str) -> str:
        self.open(path, f"member-{name}")
        return self.text("main")


def start_a_topic(walk: ModeratorWalk) -> tuple[str, str, str]:
    """The moderator's topic with three replies: (its path, the first reply's id, the
    off-topic reply's id)."""
    walk.open("/forums/1/new", "new-topic")
    walk.fill("title", TITLE)
    walk.post("Which do you prefer?")
    topic = walk.path.split("?")[0].split("#")[0]
    for reply in ("Jam, always.", "Off topic: my tomatoes are ripe.", "Tomatoes love sun."):
        walk.open(f"{topic}/reply", "reply")
        walk.post(reply)
    posts = [
        element.get_attribute("id") or ""
        for element in walk.browser.find_elements(By.CSS_SELECTOR, "article.post")
    ]
    return topic, posts[1].removeprefix("post-"), posts[2].removeprefix("post-")


def delete_and_restore_a_post(
    walk: ModeratorWalk, member: MemberView, topic: str, post_id: str
) -> None:
    """The post stays until the confirm page is answered, is gone for members while
    deleted (moderators see it marked), and comes back for them when restored."""
    assert "Jam, always." in member.sees(topic, "topic")
    walk.follow_href(f"a[href='/posts/{post_id}/delete']", "confirm-delete-post")
    assert "Delete this post by mod" in walk.text("main h1")
    assert "Jam, always." in member.sees(topic, "topic-while-asked"), "not deleted yet"
    walk.press("main form button.danger", "post-deleted")
    assert "[deleted]" in walk.text(f"#post-{post_id}")
    seen = member.sees(topic, "topic-post-deleted")
    assert "Jam, always." not in seen and "Which do you prefer?" in seen
    walk.press(f"#post-{post_id} form[action='/posts/{post_id}/restore'] button", "restored")
    assert "[deleted]" not in walk.text(f"#post-{post_id}")
    assert "Jam, always." in member.sees(topic, "topic-post-restored")


def split_and_merge_back(walk: ModeratorWalk, member: MemberView, topic: str, post_id: str) -> None:
    """Split the off-topic replies into the other forum, then merge them back: members
    find each post where the moderator put it, and the reply counts follow."""
    walk.follow_href(f"a[href='/posts/{post_id}/split']", "confirm-split")
    walk.fill("split-title", "Tomatoes")
    walk.browser.find_element(By.CSS_SELECTOR, "#split-forum option[value='2']").click()
    walk.press("main form button.danger", "split-done")
    assert "Tomatoes" in walk.text("main h1")
    assert "Garden" in walk.text(".breadcrumbs")
    split_topic = walk.path.split("?")[0].split("#")[0]
    left = member.sees(topic, "topic-after-split")
    assert "Jam, always." in left and "Tomatoes love sun." not in left
    member.sees("/forums/1", "kitchen-after-split")
    assert member.text(".topic-list tbody td.num") == "1", "one reply left"
    assert "Tomatoes" in member.sees("/forums/2", "garden-after-split")
    moved = member.sees(split_topic, "split-topic")
    assert "my tomatoes are ripe" in moved and "Tomatoes love sun." in moved

    walk.follow_href("a[href$='/merge']", "confirm-merge")
    walk.fill("merge-into", topic.removeprefix("/topics/"))
    walk.press("main form button.danger", "merged")
    assert walk.path.startswith(topic)
    assert "Tomatoes love sun." in member.sees(topic, "topic-after-merge")
    assert "No topics yet" in member.sees("/forums/2", "garden-after-merge")
    member.sees("/forums/1", "kitchen-after-merge")
    assert member.text(".topic-list tbody td.num") == "3", "the replies are back"


def delete_and_restore_the_topic(walk: ModeratorWalk, member: MemberView, topic: str) -> None:
    """A deleted topic is gone from the forum and its address for members; the
    moderator restores it from the forum page."""
    walk.follow_href(f"a[href='{topic}/delete']", "confirm-delete-topic")
    walk.press("main form button.danger", "topic-deleted")
    assert TITLE in walk.text(".deleted-topics")
    assert "No topics yet" in member.sees("/forums/1", "kitchen-topic-deleted")
    member.sees(topic, "topic-deleted")
    assert member.text("main h1").startswith("404"), "members cannot open a deleted topic"
    walk.press(".deleted-topics form button", "topic-restored")
    assert TITLE in walk.text("main h1")
    assert TITLE in member.sees("/forums/1", "kitchen-topic-restored")


@pytest.mark.parametrize("width", WIDTHS, ids=["phone", "desktop"])
def test_a_moderator_deletes_restores_splits_and_merges(
    site: str, tmp_path: Path, screenshots: Path, width: int
) -> None:
    with (
        chromium(tmp_path / "profile", width, 900) as browser,
        chromium(tmp_path / "member-profile", width, 900) as member_browser,
    ):
        walk = ModeratorWalk(browser, site, screenshots_of(screenshots, f"moderator-{width}"))
        member = MemberView(member_browser, site, screenshots_of(screenshots, f"member-{width}"))
        member.log_in(READER, READER_PASSWORD)
        walk.log_in(NAME, PASSWORD)
        topic, jam, tomatoes = start_a_topic(walk)
        delete_and_restore_a_post(walk, member, topic, jam)
        split_and_merge_back(walk, member, topic, tomatoes)
        delete_and_restore_the_topic(walk, member, topic)
