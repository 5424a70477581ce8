"""Every page in a real headless Chromium at a desktop size (1366x900) and a phone size (390x844),
plus 360 px: no horizontal overflow, a `lang`, one `main` landmark, banner and navigation, and
changes marked by more than colour; the print stylesheet gives a report without the page's chrome.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.timeout(180)
PHONE_SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "phone.png"
SIZES = {"desktop": (1366, 900), "phone": (390, 844), "small": (360, 740)}
PAGES = ("/-/seedcheck", "/-/seedcheck/seed/altered", "/-/seedcheck/seed/altered?view=all",
         "/-/seedcheck/seed/hostile", "/-/seedcheck/changes", "/", "/seedcheck",
         "/seedcheck/comparisons", "/seedcheck/captures", "/-/seedcheck/search?q=Venezuela",
         "/seedcheck/comparisons/1")


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, chromium):
    width, height = SIZES[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_the_window_and_have_landmarks(site, sized, path):
    sized.goto(site.url + path)
    assert overflow(sized) <= 0, f"{path} is {overflow(sized)} px too wide"
    assert sized.get_attribute("html", "lang") == "en"
    assert sized.locator("main").count() == 1
    assert sized.locator("header nav").count() == 1 and sized.locator("footer").count() == 1
    assert sized.locator("h1").count() >= 1


def test_timeline_page_fits_a_phone(site, sized):
    url = site.url + "/-/seedcheck/url?url=" + quote(
        "https://www.nbcnews.test/news/latino/analysis-can-washington-moscow-havana-find-way-"
        "out-venezuela-impasse-n1065298", safe="")
    sized.goto(url)
    assert overflow(sized) <= 0


def test_changes_are_marked_by_more_than_colour(site, page):
    page.goto(f"{site.url}/-/seedcheck/seed/altered")

    def style(selector: str, prop: str) -> str:
        return page.locator(selector).first.evaluate(
            f"e => getComputedStyle(e).getPropertyValue('{prop}')")

    assert "dotted" in style(".sc-seed mark.sc-changed", "border-bottom-style")
    assert "underline" in style(".sc-legend ins.sc-added", "text-decoration-line")
    assert "line-through" in style(".sc-legend del.sc-omitted", "text-decoration-line")
    # Each block says its kind in words, and each change its number.
    assert page.locator(".sc-block-edited .sc-kind").first.inner_text().startswith("edited")
    assert "change 1 of" in page.locator("#change-1 .sc-kind").inner_text()


def test_next_change_moves_to_the_next_change(site, page):
    page.goto(f"{site.url}/-/seedcheck/seed/altered")
    page.locator("#change-1 a", has_text="next change").click()
    assert page.url.endswith("#change-2")
    assert page.locator("#change-2").is_visible()


def test_on_a_phone_seed_and_original_stack_with_their_names(site, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site.url}/-/seedcheck/seed/altered")
        seed = page.locator("#change-1 .sc-seed").bounding_box()
        original = page.locator("#change-1 .sc-original").bounding_box()
        assert original["y"] >= seed["y"] + seed["height"] - 1       # one under the other
        assert seed["width"] > 300
        assert page.locator("#change-1 .sc-seed .sc-side").inner_text().lower() == "seed"
    finally:
        context.close()


def test_print_gives_the_report_without_the_chrome(site, page):
    page.goto(f"{site.url}/-/seedcheck/seed/altered")
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    assert page.locator("iframe.sc-raw").count() == 1
    assert not page.locator("iframe.sc-raw").is_visible()
    assert page.locator("#citation pre").is_visible()
    assert page.locator("#verdict").is_visible() and page.locator("#differences").is_visible()
    assert not page.locator("#captures button").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_hostile_page_printed_shows_where_the_archived_page_is(site, page):
    page.goto(f"{site.url}/-/seedcheck/seed/hostile")
    page.emulate_media(media="print")
    assert not page.locator("iframe.sc-raw").is_visible()
    assert page.locator(".sc-printonly").first.is_visible()


def test_phone_screenshot_of_the_compare_page(site, chromium):
    """The README's phone picture (written when SEEDCHECK_DOCS_SCREENSHOT is set)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(f"{site.url}/-/seedcheck/seed/altered")
        top = page.locator("h1").bounding_box()["y"] - 8      # page coordinates, not scrolled
        image = page.screenshot(full_page=True, clip={"x": 0, "y": top, "width": 390, "height": 1300})
        assert image.startswith(b"\x89PNG") and len(image) < 250_000
        if os.environ.get("SEEDCHECK_DOCS_SCREENSHOT"):
            PHONE_SCREENSHOT.write_bytes(image)
    finally:
        context.close()
