"""The HTML catalog (`clickgen docs`) in a real browser: Debian's chromium, headless,
driven through its chromedriver by selenium.

What an analyst does: open index.html from file://, type in the search box, click the
event found, read its versions and fields; or search from the box of another page
(index.html?q=...). The pages must run no failing script, load nothing from the
network, and fit a phone's width. Screenshots are kept in build/test-artifacts/
(look at them after a change of the templates).

Without chromium the tests skip, except under CI=true, where they fail: CI installs
chromium (scripts/install-toolchains.sh), so a skip there would hide a broken setup.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from clickgen.frontend import analyze_folder
from clickgen.ir import Reference

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
ARTIFACTS = ROOT / "build" / "test-artifacts"
WIDTH, HEIGHT = 1280, 1000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser test must run under CI, but {reason} (scripts/install-toolchains.sh installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        _unavailable("chromium or chromedriver is not on PATH")
    options = Options()
    # both paths given: selenium never looks for (or downloads) a browser or driver of its own
    options.binary_location = str(binary)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    except WebDriverException as e:
        _unavailable(f"chromium does not start: {e.msg}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from clickgen.cli import main

    out = tmp_path_factory.mktemp("catalog") / "site"
    result = CliRunner().invoke(main, ["--reference", str(EXAMPLE), "docs", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def reference() -> Reference:
    return analyze_folder(EXAMPLE).reference


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The browser at desktop size, with the console read and checked after each test."""
    browser.set_window_size(WIDTH, HEIGHT)
    browser.get_log("browser")  # drop what earlier tests left
    yield browser
    problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert problems == [], "the page logged errors"


def _screenshot(driver: Any, name: str, full_page: bool = True) -> Path:
    """Save the page as build/test-artifacts/<name>.png (all of it, unless full_page is off)."""
    import base64

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full_page:
        width = driver.execute_script("return document.documentElement.scrollWidth")
        height = min(driver.execute_script("return document.documentElement.scrollHeight"), 8000)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, "the screenshot is not blank"
    return path


def _rows(driver: Any) -> list[tuple[str, bool]]:
    """(search text, shown) of every row the search filters, in one round trip."""
    script = "return Array.from(document.querySelectorAll('[data-search]')).map(function (r) { return [r.getAttribute('data-search'), r.getClientRects().length > 0]; })"
    return [(text, shown) for text, shown in driver.execute_script(script)]


def _visible_rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return [row for row in driver.find_elements(By.CSS_SELECTOR, "[data-search]") if row.is_displayed()]


def _only_local_resources(driver: Any) -> None:
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert all(url.startswith("file://") for url in urls), urls


def test_search_finds_an_event_and_its_page_shows_versions_and_fields(page: Any, catalog: Path, reference: Reference) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page.get((catalog / "index.html").as_uri())
    assert page.title == "marketplace event reference"
    box = page.find_element(By.ID, "search")
    assert page.switch_to.active_element == box, "the search box has the focus"
    every_row = sum(shown for _, shown in _rows(page))
    assert every_row == len(reference.events) + len(reference.fields) + len(reference.environments)

    box.send_keys("password reset")
    WebDriverWait(page, 5).until(lambda d: d.find_element(By.ID, "search-count").text != "")
    rows = _rows(page)
    shown = sum(shown for _, shown in rows)
    assert page.find_element(By.ID, "search-count").text == f"{shown} match" + ("es" if shown != 1 else "")
    assert 0 < shown < every_row
    assert [shown for _, shown in rows] == [("password" in text and "reset" in text) for text, _ in rows]
    assert not page.find_element(By.ID, "owners").is_displayed(), "sections without search rows hide while searching"
    _screenshot(page, "docs-index-search", full_page=False)

    link = page.find_element(By.LINK_TEXT, "password_reset_request")
    assert link.is_displayed()
    link.click()
    WebDriverWait(page, 5).until(lambda d: d.current_url.endswith("/events/password_reset_request.html"))
    _check_event_page(page, reference, "password_reset_request")
    _only_local_resources(page)


def _check_event_page(driver: Any, reference: Reference, name: str) -> None:
    from selenium.webdriver.common.by import By

    event = reference.events[name]
    assert driver.find_element(By.TAG_NAME, "h1").text == name
    assert f"Event id\n{event.id}" in driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    for version in event.versions:
        section = driver.find_element(By.ID, f"v{version.number}")
        heading = section.find_element(By.TAG_NAME, "h2").text
        assert heading.startswith(f"Version {version.number}"), heading
        assert ("latest" in heading) == (version is event.latest)
        table = section.find_element(By.CSS_SELECTOR, "table.fields")
        shown = [(row.find_element(By.CSS_SELECTOR, "td.name a").text, row.find_elements(By.CSS_SELECTOR, ".badge.required") != []) for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert shown == [(use.name, use.required) for use in version.fields], (version.number, shown)
        assert section.find_element(By.CSS_SELECTOR, "pre.json").text.startswith('{"')


def test_event_page_screenshot_and_a_version_link(page: Any, catalog: Path, reference: Reference) -> None:
    from selenium.webdriver.common.by import By

    page.get((catalog / "events" / "registration_submit.html").as_uri())
    _check_event_page(page, reference, "registration_submit")
    _screenshot(page, "docs-event-registration_submit")
    page.find_element(By.CSS_SELECTOR, "dl.facts").find_element(By.LINK_TEXT, "v1").click()
    assert page.current_url.endswith("registration_submit.html#v1")
    top = page.execute_script("return document.getElementById('v1').getBoundingClientRect().top")
    assert 0 <= top < 50, "the version link scrolls to its section"


def test_search_from_another_page_goes_to_the_index(page: Any, catalog: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page.get((catalog / "fields" / "user_id.html").as_uri())
    assert "registration_submit" in page.find_element(By.TAG_NAME, "main").text, "the field page lists the events using it"
    box = page.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("favourite")
    box.submit()
    WebDriverWait(page, 5).until(lambda d: "index.html?q=favourite" in d.current_url)
    assert page.find_element(By.ID, "search").get_attribute("value") == "favourite"
    names = {row.find_element(By.CSS_SELECTOR, "td.name a").text for row in _visible_rows(page)}
    assert {"favourite_add", "favourite_remove"} <= names
    assert [shown for _, shown in _rows(page)] == ["favourite" in text for text, _ in _rows(page)]


def test_no_match_hides_every_section_it_filters(page: Any, catalog: Path) -> None:
    from selenium.webdriver.common.by import By

    page.get((catalog / "index.html").as_uri() + "?q=zzzz-nothing")
    assert not any(shown for _, shown in _rows(page))
    assert page.find_element(By.ID, "search-count").text == "0 matches"
    for section in ("environments", "events", "fields", "owners"):
        assert not page.find_element(By.ID, section).is_displayed(), section


@pytest.mark.parametrize("path", ["index.html", "events/registration_submit.html", "fields/item_tags.html", "environments/ios-app.html"])
def test_pages_fit_a_phone(page: Any, catalog: Path, path: str) -> None:
    page.set_window_size(390, 844)
    page.get((catalog / path).as_uri())
    overflow = page.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    if path == "index.html":
        _screenshot(page, "docs-index-phone", full_page=False)
