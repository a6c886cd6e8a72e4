"""Whether a page fits the browser's window, for every browser test that checks widths.

A page that is wider than the viewport scrolls sideways: on a phone that hides half of
every line. The measure is the one a reader feels, ``scrollWidth <= innerWidth``; when a
page fails, the widest elements that stick out are named, so the failure says what to fix.
"""

from __future__ import annotations

from selenium.webdriver.remote.webdriver import WebDriver

WIDTHS = (390, 1280)
"""A phone held upright and a laptop: the two widths every page must fit."""

OVERFLOW = "return document.documentElement.scrollWidth - window.innerWidth"
# Widest first, leaving out what a scrolling box holds: the element named in a failure is
# the one that sticks out of the page.
WIDEST_ELEMENTS = """
const scrolls = e => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
const inScrollBox = e => { for (let p = e.parentElement; p; p = p.parentElement)
  { if (scrolls(p)) return true; } return false; };
return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !inScrollBox(e))
  .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className);
"""


def too_wide(browser: WebDriver) -> str | None:
    """None when the open page fits the window; otherwise by how much it does not and
    which elements stick out."""
    overflow = int(browser.execute_script(OVERFLOW))
    if overflow <= 0:
        return None
    width = browser.execute_script("return window.innerWidth")
    widest = browser.execute_script(WIDEST_ELEMENTS)
    return f"{overflow} px wider than the {width} px window ({widest})"


def assert_fits(browser: WebDriver, page: str) -> None:
    """Fail naming the page when it scrolls sideways."""
    problem = too_wide(browser)
    assert problem is None, f"{page}: {problem}"
