"""The first hour, in a real headless Chromium against a real ``tinypier serve``.

A newcomer registers, logs in, starts a topic with BBCode (bold, a quote, a link),
replies quoting it, adds a poll and votes in it, then searches for a word of it and
finds it; two members hold a private conversation, the unread badge in the header
telling each of the other's message. On an empty board, the admin sets it up from the
first-run page and renames it on the site settings page, and the first member, invited,
posts the first release, which the admin thanks; at a phone's width and a laptop's. No
page on any walk is wider than the window. Every page visited is saved as a screenshot:
into ``screenshots/`` at the repository root when that directory can be written (it is
gitignored), otherwise into pytest's temporary directory; the path is printed.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.viewport import WIDTHS, assert_fits
from tests.samples import MANIFEST, SAMPLES_DIR
from tests.servers import TINYPIER, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE_SECONDS = 30

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
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

NAME = "walker"
PASSWORD = "a walk in the park"
TITLE = "Marmalade recipes for the winter"
BODY = (
    "[b]Bitter oranges[/b] make the best marmalade.\n"
    "[quote=grandma]Never stir it after the sugar melts.[/quote]\n"
    "More at [url=https://example.org/marmalade]the archive[/url]."
)
REPLY = "Seville oranges worked for me, thanks!"


def tinypier(
    data_dir: Path, *arguments: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [str(TINYPIER), "--data-dir", str(data_dir), *arguments]
    return subprocess.run(command, input=stdin, check=True, capture_output=True, text=True)


def create_member(data_dir: Path, name: str, password: str, role: str = "user") -> None:
    """A member made from the shell, the way an admin makes the first admin."""
    tinypier(data_dir, "user", "create", name, "--role", role, "--password-stdin", stdin=password)


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


def screenshots_of(screenshots: Path, walk_name: str) -> Path:
    """One walk's own folder of screenshots, apart from other walks' and other widths'."""
    folder = screenshots / walk_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
    driver.set_page_load_timeout(PAGE_SECONDS)
    try:
        # Headless Chromium starts no narrower than 500 px whatever --window-size says;
        # resizing the running window reaches a phone's width.
        driver.set_window_size(width, height)
        inner_width = driver.execute_script("return window.innerWidth")
        assert inner_width == width, f"asked for a {width} px window, got {inner_width} px"
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    with chromium(tmp_path / "chromium-profile", 1280, 1000) as driver:
        yield driver


def gone(element: WebElement) -> bool:
    """Whether the page holding ``element`` has been replaced. Chromium may answer a
    question about an element of a page being torn down with "Node with given id does not
    belong to the document" rather than the stale-element error Selenium's own
    ``staleness_of`` waits for: both mean the page has gone."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in (error.msg or ""):
            return True
        raise
    return False


class Walk:
    """The browser plus a numbered screenshot of every page it lands on."""

    def __init__(self, browser: WebDriver, site: str, screenshots: Path) -> None:
        self.browser, self.site, self.screenshots = browser, site, screenshots
        self.step = 0

    def snap(self, name: str) -> None:
        """A page landed on: screenshot it, and check that it does not scroll sideways."""
        self.step += 1
        path = self.screenshots / f"{self.step:02d}-{name}.png"
        assert self.browser.save_screenshot(str(path)), path
        assert_fits(self.browser, f"{self.path} ({name})")

    def open(self, path: str, name: str) -> None:
        self.browser.get(self.site + path)
        self.snap(name)

    def fill(self, field_id: str, text: str) -> None:
        field = self.browser.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(text)

    def submit(self, button_xpath: str, name: str) -> None:
        self.leave_by(self.browser.find_element(By.XPATH, button_xpath), name)

    def follow(self, link_text: str, name: str) -> None:
        self.leave_by(self.browser.find_element(By.LINK_TEXT, link_text), name)

    def leave_by(self, element: WebElement, name: str) -> None:
        """Click what leads to another page and wait for that page: a screenshot and a
        width check of the page being left would prove nothing."""
        element.click()
        WebDriverWait(self.browser, PAGE_SECONDS).until(lambda _driver: gone(element))
        self.snap(name)

    def log_in(self, name: str, password: str) -> None:
        self.open("/login", "login")
        self.fill("login-name", name)
        self.fill("login-password", password)
        self.submit("//main//form[@action='/login']//button[@type='submit']", "logged-in")
        assert name in self.text(".site-nav"), "the header should greet the member by name"

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
    walk.log_in(NAME, PASSWORD)

    walk.open("/", "index-member")
    walk.follow("Kitchen", "forum")
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

    walk.follow("Quote", "reply-quoting")
    quoted = browser.find_element(By.ID, "body").get_attribute("value") or ""
    assert quoted.startswith(f"[quote={NAME}]") and "Bitter oranges" in quoted
    browser.find_element(By.ID, "body").send_keys("\n" + REPLY)
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "replied")
    assert walk.path.startswith(topic_path)
    assert REPLY in walk.text("main")
    assert len(browser.find_elements(By.CSS_SELECTOR, "main blockquote")) >= 2

    walk.follow("Add a poll", "poll-form")
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


ADMIN, ADMIN_PASSWORD = "keeper", "the keeper of the pier"
MEMBER, MEMBER_PASSWORD = "firstmate", "first aboard, first to share"
CATEGORY, FORUM = "Films", "Documentaries"
SITE_NAME = "Harbour Films"
FIRST_RELEASE = "v1-mktorrent-single.torrent"
RELEASE_TITLE = "A single file to start with"
RELEASE_DESCRIPTION = "[b]The first release[/b] of the board."


@pytest.fixture
def empty_site(tmp_path: Path) -> Iterator[str]:
    """A board with no category, forum or topic, only its admin made from the shell, as
    the ``serve`` banner of a new board says to."""
    data_dir = tmp_path / "data"
    tinypier(data_dir, "migrate")
    create_member(data_dir, ADMIN, ADMIN_PASSWORD, role="admin")
    with serving(data_dir, tmp_path / "tinypier.log", dict(os.environ)) as url:
        yield url


def set_up_the_board(walk: Walk) -> None:
    """The admin follows the front page to the first-run page and takes its steps: a
    category and a forum for releases, invite-only registration, the announce URL."""
    walk.open("/", "index-admin")
    assert "Welcome to your new board" in walk.text("main")
    walk.follow("Set up the board", "first-run")
    assert walk.path == "/admin/first-run"
    assert walk.browser.find_element(By.NAME, "allows_releases").is_selected()
    walk.fill("first-category", CATEGORY)
    walk.fill("first-forum-name", FORUM)
    walk.submit("//section[@id='first-forum']//button[@type='submit']", "forum-created")
    assert f"Forum {FORUM} created." in walk.text(".flash")
    assert "The board has 1 forum." in walk.text("#first-forum")

    Select(walk.browser.find_element(By.ID, "first-registration-mode")).select_by_value("invite")
    walk.submit("//section[@id='first-registration']//button[@type='submit']", "mode-chosen")
    assert "Registration saved" in walk.text(".flash")
    chosen = Select(walk.browser.find_element(By.ID, "first-registration-mode"))
    assert chosen.first_selected_option.get_attribute("value") == "invite"

    announce = walk.browser.find_element(By.ID, "first-announce-url").get_attribute("value")
    assert announce == f"{walk.site}/announce/<passkey>", "where serve listens"
    walk.follow("Go to the board", "index-set-up")
    assert CATEGORY in walk.text("main h2")
    assert walk.browser.find_element(By.LINK_TEXT, FORUM)


def rename_the_board(walk: Walk) -> None:
    """A site setting saved on the web shows on the very next page, with no restart."""
    walk.open("/admin/settings", "site-settings")
    walk.fill("setting-site_name-value", SITE_NAME)
    walk.submit("//section[@id='setting-site_name']//button[@type='submit']", "renamed")
    assert "saved; it applies from now on" in walk.text(".flash")
    walk.open("/", "index-renamed")
    assert walk.text(".brand") == SITE_NAME
    assert walk.browser.title.endswith(SITE_NAME)


def invite_link(walk: Walk) -> str:
    """The path of a new invite's registration link, which leads to this board."""
    walk.open("/invites", "invites")
    walk.submit("//main//form[@action='/invites']//button", "invite-created")
    link = walk.browser.find_element(By.LINK_TEXT, "registration link").get_attribute("href")
    assert str(link).startswith(f"{walk.site}/register?code="), link
    return str(link).removeprefix(walk.site)


def join_by_invite(walk: Walk, invite_path: str) -> None:
    walk.browser.delete_all_cookies()
    walk.open("/register", "register-invite-only")
    assert "This board is invite only" in walk.text("main")
    walk.open(invite_path, "register-invited")
    assert walk.browser.find_element(By.ID, "register-invite").get_attribute("value")
    walk.fill("register-name", MEMBER)
    walk.fill("register-password", MEMBER_PASSWORD)
    walk.fill("register-confirm", MEMBER_PASSWORD)
    walk.submit("//main//form[@action='/register']//button[@type='submit']", "joined")
    assert MEMBER in walk.text(".site-nav")


def assert_the_first_release_shown(walk: Walk) -> None:
    """The page of the release: its title, the torrent's name and hash, its uploader,
    a download link and the description's BBCode rendered."""
    assert RELEASE_TITLE in walk.text("main h1")
    sample = next(entry for entry in MANIFEST if entry["file"] == FIRST_RELEASE)
    assert walk.text("#release-heading") == sample["name"]
    assert sample["info_hash_v1"] in walk.text(".release-facts")
    assert MEMBER in walk.text(".release-facts")
    assert walk.browser.find_element(By.LINK_TEXT, "Download .torrent")
    assert walk.browser.find_element(By.CSS_SELECTOR, "main strong").text == "The first release"


def post_the_first_release(walk: Walk) -> None:
    """The member uploads a real client's .torrent and lands on its topic page."""
    walk.open("/", "index-member")
    walk.follow(FORUM, "forum")
    walk.follow("New release", "new-release")
    walk.fill("title", RELEASE_TITLE)
    walk.fill("description", RELEASE_DESCRIPTION)
    walk.browser.find_element(By.ID, "torrent").send_keys(str(SAMPLES_DIR / FIRST_RELEASE))
    walk.submit("//form[contains(@class, 'release-form')]//button[@name='post']", "released")
    assert walk.path.startswith("/topics/")
    assert_the_first_release_shown(walk)


def thank_the_uploader(walk: Walk, release_path: str) -> None:
    """The admin comes back, thanks the release once and is named among its thankers."""
    log_in_as(walk, ADMIN, ADMIN_PASSWORD)
    walk.open(release_path, "release-to-thank")
    assert "Nobody has thanked the uploader yet." in walk.text(".thanks")
    walk.submit("//section[contains(@class, 'thanks')]//form//button", "thanked")
    assert "Thanked by 1 member" in walk.text(".thanks")
    assert ADMIN in walk.text(".thanks .thankers")
    assert "You have thanked this release." in walk.text(".thanks")
    assert not walk.browser.find_elements(By.CSS_SELECTOR, ".thanks form"), "once only"


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def test_an_admin_sets_up_an_empty_board_and_a_member_posts_the_first_release(
    empty_site: str, tmp_path: Path, screenshots: Path, width: int
) -> None:
    with chromium(tmp_path / "chromium-profile", width, 900) as browser:
        walk = Walk(browser, empty_site, screenshots_of(screenshots, f"first-run-{width}"))
        walk.open("/", "index-empty")
        assert "This board is being set up." in walk.text("main")
        walk.log_in(ADMIN, ADMIN_PASSWORD)
        set_up_the_board(walk)
        rename_the_board(walk)
        join_by_invite(walk, invite_link(walk))
        post_the_first_release(walk)
        release_path = walk.path
        thank_the_uploader(walk, release_path)

        walk.open("/tracker", "tracker")
        assert f"by {MEMBER}" in walk.text(".tracker-table")
        walk.follow(RELEASE_TITLE, "release-from-tracker")
        assert walk.path.startswith("/torrents/1-"), "the release's engine-v1 address"
        assert_the_first_release_shown(walk)


def log_in_as(walk: Walk, name: str, password: str) -> None:
    """Leave whoever is logged in and log in as another member."""
    walk.browser.delete_all_cookies()
    walk.log_in(name, password)


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
    walk.leave_by(
        browser.find_element(By.CSS_SELECTOR, ".site-nav a[href='/messages']"), "pm-inbox"
    )
    walk.follow("Marmalade swap", "pm-read")
    assert not browser.find_elements(By.CSS_SELECTOR, ".site-nav .badge"), "read now"
    walk.follow("Quote", "pm-quoting")
    quoted = browser.find_element(By.ID, "body").get_attribute("value") or ""
    assert quoted.startswith("[quote=writer]")
    browser.find_element(By.ID, "body").send_keys("\nDeal!")
    walk.submit("//form[contains(@class, 'post-form')]//button", "pm-replied")
    assert "Deal!" in walk.text("main")
    assert len(browser.find_elements(By.CSS_SELECTOR, "main blockquote")) == 1

    log_in_as(walk, "writer", PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav .badge").text == "1"


def test_a_reply_in_a_watched_topic_reaches_the_starter(
    browser: WebDriver, site: str, screenshots: Path, tmp_path: Path
) -> None:
    """A member starts a topic (and so watches it); another replies; the starter sees the
    notifications badge in the header, reads the notice, and it leads to the reply."""
    for name in ("starter", "replier"):
        create_member(tmp_path / "data", name, PASSWORD)
    walk = Walk(browser, site, screenshots)

    log_in_as(walk, "starter", PASSWORD)
    walk.open("/", "watch-index")
    walk.follow("Kitchen", "watch-forum")
    walk.open(walk.path + "/new", "watch-new-topic")
    walk.fill("title", "Jam jars wanted")
    walk.fill("body", "Who has spare jars?")
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "watch-topic")
    topic_path = walk.path.split("?")[0].split("#")[0]
    assert "Stop watching" in walk.text("main"), "a starter watches their own topic"

    log_in_as(walk, "replier", PASSWORD)
    walk.open(topic_path + "/reply", "watch-reply-form")
    walk.fill("body", "I have six, @starter.")
    walk.submit("//form[contains(@class, 'post-form')]//button[@name='post']", "watch-replied")

    log_in_as(walk, "starter", PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, ".site-nav .notifications-badge").text == "1"
    walk.leave_by(
        browser.find_element(By.CSS_SELECTOR, ".site-nav a[href='/notifications']"),
        "notifications",
    )
    notice = browser.find_element(By.CSS_SELECTOR, ".notification.unread button")
    assert notice.text == "replier mentioned you in Jam jars wanted"
    walk.leave_by(notice, "notification-opened")
    assert walk.path.startswith(topic_path)
    assert "I have six" in walk.text("main")
    assert not browser.find_elements(By.CSS_SELECTOR, ".site-nav .notifications-badge")
