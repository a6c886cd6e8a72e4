# Russian text: Cyrillic letters that look Latin are meant.
"""The newcomer's walk in Russian on a 390 px phone: Russian words are longer than English
ones, so every page is screenshotted and must fit the screen without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.test_walkthrough import (
    BROWSER_TEST,
    PASSWORD,
    Walk,
    chromium,
    screenshots,
    site,
)

pytestmark = BROWSER_TEST

__all__ = ["screenshots", "site"]  # fixtures shared with the English walkthrough

PHONE_WIDTH = 390
# Cyrillic member names are another issue's work; the walk is about the interface.
NAME = "walker"
TITLE = "Рецепты варенья на зиму"
BODY = "[b]Горькие апельсины[/b] дают лучший джем.\n[spoiler]Не мешать после сахара.[/spoiler]"


@pytest.fixture
def russian_phone(tmp_path: Path) -> Iterator[WebDriver]:
    with chromium(tmp_path / "chromium-profile", PHONE_WIDTH, 844, language="ru") as driver:
        yield driver


class NarrowWalk(Walk):
    """Each page is Russian (and, as on every walk, fits the screen)."""

    def snap(self, name: str) -> None:
        super().snap(f"ru-{name}")
        html = self.browser.find_element(By.TAG_NAME, "html")
        assert html.get_attribute("lang") == "ru", f"{name}: not in Russian"


def test_a_russian_newcomer_on_a_phone_sees_every_page_fit(
    russian_phone: WebDriver, site: str, screenshots: Path
) -> None:
    walk = NarrowWalk(russian_phone, site, screenshots)
    walk.open("/", "index")
    assert "Форумы" in walk.text("main")
    walk.open("/register", "register")
    walk.fill("register-name", NAME)
    walk.fill("register-password", PASSWORD)
    walk.fill("register-confirm", PASSWORD)
    walk.submit("//main//form[@action='/register']//button[@type='submit']", "registered")
    assert NAME in walk.text(".site-nav")

    walk.follow("Kitchen", "forum")
    walk.open(walk.path + "/new", "new-topic")
    walk.fill("title", TITLE)
    walk.fill("body", BODY)
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "topic")
    assert "Ваша тема опубликована." in walk.text("main")
    member_page = russian_phone.find_element(By.LINK_TEXT, NAME).get_attribute("href") or ""
    for path, name in (
        ("/tracker", "tracker"),
        ("/search?q=варенье", "search"),
        ("/members", "members"),
        ("/settings", "settings"),
        ("/invites", "invites"),
        (member_page.removeprefix(site), "profile"),
        ("/no-such-page", "not-found"),
    ):
        walk.open(path, name)
    walk.open("/login", "login")
