"""A newcomer's first visit, in a real headless Chromium against a real ``tinypier serve``.

Register, log in, start a topic with BBCode (bold, a quote, a link), reply quoting it,
then search for a word of it and find it; and two members hold a private conversation,
the unread badge in the header telling each of the other's message. Every page visited
is saved as a screenshot: into ``screenshots/`` at the repository root when that
directory can be written (it is gitignored), otherwise into pytest's temporary
directory; the path is printed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.servers import TINYPIER, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO_ROOT = Path(__file__).resolve().parents[2]

BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver",
    ),
]
"""The marks of every browser test: slow, and skipped without Debian's Chromium."""
pytestmark = BROWSER_TEST

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

NAME = "walker"
PASSWORD = "a walk in the park"
TITLE = "Marmalade recipes for the winter"
BODY = (
    "[b]Bitter oranges[/b] make the best marmalade.\n"
    "[quote=grandma]Never stir it after the sugar melts.[/quote]\n"
    "More at [url=https://example.org/marmalade]the archive[/url]."
)
REPLY = "Seville oranges worked for me, thanks!"


def tinypier(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [str(TINYPIER), "--data-dir", str(data_dir), *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A fresh board with one forum, served on a free loopback port."""
    data_dir = tmp_path / "data"
    tinypier(data_dir, "migrate")
    tinypier(data_dir, "forum", "create", "Kitchen", "--category", "Home")
    # The newcomer replies seconds after starting the topic, faster than a member may.
    unthrottled = {**os.environ, "TINYPIER_POST_INTERVAL_SECONDS": "0"}
    with serving(data_dir, tmp_path / "tinypier.log", unthrottled) as url:
        yield url


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    local = REPO_ROOT / "screenshots"
    directory = local if os.access(REPO_ROOT, os.W_OK) else tmp_path / "screenshots"
    directory.mkdir(exist_ok=True)
    print(f"\nscreenshots: {directory}")
    return directory


@contextmanager
def chromium(
    profile: Path, width: int, height: int, language: str | None = None
) -> Iterator[WebDriver]:
    """Headless Chromium at a window size, in a language when one is given."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    if language is not None:
        options.add_argument(f"--lang={language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    with chromium(tmp_path / "chromium-profile", 1280, 1000) as driver:
        yield driver


class Walk:
    """The browser plus a numbered screenshot of every page it lands on."""

    def __init__(self, browser: WebDriver, site: str, screenshots: Path) -> None:
        self.browser, self.site, self.screenshots = browser, site, screenshots
        self.step = 0

    def snap(self, name: str) -> None:
        self.step += 1
        path = self.screenshots / f"{self.step:02d}-{name}.png"
        assert self.browser.save_screenshot(str(path)), path

    def open(self, path: str, name: str) -> None:
        self.browser.get(self.site + path)
        self.snap(name)

    def fill(self, field_id: str, text: str) -> None:
        field = self.browser.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(text)

    def submit(self, button_xpath: str, name: str) -> None:
        self.browser.find_element(By.XPATH, button_xpath).click()
        self.snap(name)

    def text(self, css: str) -> str:
        return "\n".join(
            element.text for element in self.browser.find_elements(By.CSS_SELECTOR, css)
        )

    @property
    def path(self) -> str:
        return str(self.browser.current_url).removeprefix(self.site)


def test_a_newcomer_registers_posts_replies_and_finds_the_topic(
    browser: WebDriver, site: str, screenshots: Path
) -> None:
    walk = Walk(browser, site, screenshots)
    walk.open("/", "index")
    assert "Kitchen" in walk.text("main")

    walk.open("/register", "register")
    walk.fill("register-name", NAME)
    walk.fill("register-password", PASSWORD)
    walk.fill("register-confirm", PASSWORD)
    walk.submit("//main//form[@action='/register']//button[@type='submit']", "registered")

    browser.delete_all_cookies()
    walk.open("/login", "login")
    walk.fill("login-name", NAME)
    walk.fill("login-password", PASSWORD)
    walk.submit("//main//form[@action='/login']//button[@type='submit']", "logged-in")
    assert NAME in walk.text(".site-nav"), "the header should greet the member by name"

    walk.open("/", "index-member")
    browser.find_element(By.LINK_TEXT, "Kitchen").click()
    walk.snap("forum")
    walk.open(walk.path + "/new", "new-topic")
    walk.fill("title", TITLE)
    walk.fill("body", BODY)
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "topic")
    topic_path = walk.path.split("?")[0].split("#")[0]
    assert topic_path.startswith("/topics/")
    assert browser.find_element(By.CSS_SELECTOR, "main strong").text == "Bitter oranges"
    assert "Never stir it" in browser.find_element(By.CSS_SELECTOR, "main blockquote").text
    link = browser.find_element(By.LINK_TEXT, "the archive")
    assert link.get_attribute("href") == "https://example.org/marmalade"

    browser.find_element(By.LINK_TEXT, "Quote").click()
    walk.snap("reply-quoting")
    quoted = browser.find_element(By.ID, "body").get_attribute("value") or ""
    assert quoted.startswith(f"[quote={NAME}]") and "Bitter oranges" in quoted
    browser.find_element(By.ID, "body").send_keys("\n" + REPLY)
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "replied")
    assert walk.path.startswith(topic_path)
    assert REPLY in walk.text("main")
    assert len(browser.find_elements(By.CSS_SELECTOR, "main blockquote")) >= 2

    browser.find_element(By.LINK_TEXT, "Add a poll").click()
    walk.snap("poll-form")
    walk.fill("question", "Which oranges?")
    walk.fill("options", "Seville\nBlood oranges\nWhatever the shop has")
    walk.submit("//form[contains(@class, 'poll-form')]//button", "poll")
    assert "Which oranges?" in walk.text(".poll")
    assert "100%" not in walk.text(".poll"), "results wait for the member's vote"
    browser.find_element(By.CSS_SELECTOR, ".poll-vote input[value='1']").click()
    walk.submit("//form[contains(@class, 'poll-vote')]//button", "voted")
    assert "100%" in walk.text(".poll")

    walk.open("/search", "search")
    walk.fill("search-q", "marmalade")
    walk.submit("//form[@action='/search']//button[@type='submit']", "search-results")
    assert TITLE in walk.text("main")
    assert browser.find_elements(By.CSS_SELECTOR, "main mark"), "matches should be marked"
    assert walk.step == 16


def create_member(site_data: Path, name: str, password: str) -> None:
    subprocess.run(
        [str(TINYPIER), "--data-dir", str(site_data), "user", "create", name, "--password-stdin"],
        input=password,
        check=True,
        capture_output=True,
        text=True,
    )


def log_in_as(walk: Walk, name: str, password: str) -> None:
    walk.browser.delete_all_cookies()
    walk.open("/login", f"login-{name}")
    walk.fill("login-name", name)
    walk.fill("login-password", password)
    walk.submit("//main//form[@action='/login']//button[@type='submit']", f"logged-in-{name}")


def test_two_members_hold_a_private_conversation(
    browser: WebDriver, site: str, screenshots: Path, tmp_path: Path
) -> None:
    """One member writes to another with BBCode; the other sees the unread badge in the
    header, reads, quotes and replies; the first sees the reply counted as unread."""
    for name in ("writer", "reader"):
        create_member(tmp_path / "data", name, PASSWORD)
    walk = Walk(browser, site, screenshots)

    log_in_as(walk, "writer", PASSWORD)
    walk.open("/messages/new", "pm-new")
    walk.fill("to", "reader")
    walk.fill("subject", "Marmalade swap")
    walk.fill("body", "[b]Two jars[/b] for your recipe?")
    walk.submit("//form[contains(@class, 'post-form')]//button", "pm-sent")
    assert browser.find_element(By.CSS_SELECTOR, "main .post-body strong").text == "Two jars"

    log_in_as(walk, "reader", PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav .badge").text == "1"
    browser.find_element(By.CSS_SELECTOR, ".site-nav a[href='/messages']").click()
    walk.snap("pm-inbox")
    browser.find_element(By.LINK_TEXT, "Marmalade swap").click()
    walk.snap("pm-read")
    assert not browser.find_elements(By.CSS_SELECTOR, ".site-nav .badge"), "read now"
    browser.find_element(By.LINK_TEXT, "Quote").click()
    walk.snap("pm-quoting")
    quoted = browser.find_element(By.ID, "body").get_attribute("value") or ""
    assert quoted.startswith("[quote=writer]")
    browser.find_element(By.ID, "body").send_keys("\nDeal!")
    walk.submit("//form[contains(@class, 'post-form')]//button", "pm-replied")
    assert "Deal!" in walk.text("main")
    assert len(browser.find_elements(By.CSS_SELECTOR, "main blockquote")) == 1

    log_in_as(walk, "writer", PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav .badge").text == "1"
