"""The dataset browser in a real browser (Debian's headless Chromium via Playwright): pages,
filters, "failures only", search, and the viewer of one item. Screenshots of the grid and of
an open item are kept in ``test-artifacts/``."""
from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.dataset.gallery import write_gallery

pytestmark = browser_marks


@pytest.fixture
def page(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    make_gallery_dataset(tmp_path / "data", extra=70)
    url = write_gallery(tmp_path / "data", tmp_path / "data" / "gallery.html", title="fixture").resolve().as_uri()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(url)
        try:
            yield tab
        except Exception:
            tab.screenshot(path=str(ARTIFACTS / "gallery-failure.png"))
            raise
        finally:
            browser.close()
        assert errors == []


def cards(tab) -> list[str]:
    return [c.get_attribute("data-id") for c in tab.query_selector_all(".card")]


def test_filters_search_and_pages(page):
    assert page.inner_text("#count") == "75 items" and page.inner_text("#p-label") == "page 1 of 2"
    assert len(cards(page)) == 60
    page.click("#p-next")
    assert len(cards(page)) == 15 and page.inner_text("#p-label") == "page 2 of 2"
    page.screenshot(path=str(ARTIFACTS / "gallery-grid.png"))

    page.select_option("#f-domain", "multi_turn_editing")
    assert cards(page) == ["turn-1"] and page.inner_text("#p-label") == "page 1 of 1"
    # the subtask list follows the domain
    assert [o.get_attribute("value") for o in page.query_selector_all("#f-subtask option")] == ["", "two_turns"]
    page.click("#f-reset")
    page.select_option("#f-difficulty", "3")
    assert len(cards(page)) == 23  # 70 extra items cycle grades 1-3: 23 are grade 3; the five fixtures are grade 1
    page.click("#f-reset")

    page.check("#f-failures")  # a failed generation, a failed check, a judge error
    assert sorted(cards(page)) == ["edit-1", "fail-1", "turn-1"]
    page.uncheck("#f-failures")
    page.select_option("#f-check", "failed")
    assert cards(page) == ["edit-1"]
    page.select_option("#f-check", "")
    page.select_option("#f-judge", "passed")
    assert cards(page) == ["ref-1"]
    page.click("#f-reset")

    page.fill("#f-search", "teapot number 42")
    page.wait_for_function("document.querySelector('#count').innerText === '1 of 75 items'")
    assert cards(page) == ["more-042"] and page.inner_text("#count") == "1 of 75 items"
    page.fill("#f-search", "BEACH")  # a turn's instruction, any case
    page.wait_for_selector(".card[data-id='turn-1']")
    assert cards(page) == ["turn-1"]
    page.fill("#f-search", "no such words")
    page.wait_for_selector("#empty:not([hidden])")


def test_an_item_opens_large_with_its_images_spec_and_results(page):
    page.fill("#f-search", "cat from the second image")
    page.wait_for_function("document.querySelectorAll('.card').length === 1")  # from 75
    page.click(".card")
    page.wait_for_selector("#viewer[open]")
    captions = [c.inner_text() for c in page.query_selector_all("#viewer figcaption")]
    assert captions == ["input", "reference image", "output"]
    # every image loaded from its relative path, shown larger than a thumbnail
    sizes = page.eval_on_selector_all("#viewer img", "imgs => imgs.map(i => [i.naturalWidth, i.clientWidth])")
    assert all(natural > 0 and shown >= 300 for natural, shown in sizes), sizes
    text = page.inner_text("#viewer")
    assert "Add the cat from the second image" in text and "Judge gpt-4o-mini: passed (score 0.875)" in text
    assert '"description": "a grey cat"' in page.inner_text("#viewer pre.spec")
    assert page.evaluate("location.hash") == "#q=cat+from+the+second+image&item=ref-1"  # the view, linkable
    page.screenshot(path=str(ARTIFACTS / "gallery-viewer.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("#viewer:not([open])", state="hidden")

    page.fill("#f-search", "")
    page.wait_for_function("document.querySelectorAll('.card').length > 1")
    page.select_option("#f-domain", "multi_turn_editing")
    page.click(".card")
    captions = [c.inner_text() for c in page.query_selector_all("#viewer figcaption")]
    assert captions == ["input", "turn 1: Remove the cup.", "turn 2: Make the background a beach."]
    assert "Judge gpt-4o-mini: error" in page.inner_text("#viewer") and "timeout judge timed out" in page.inner_text("#viewer")

    page.click("#v-close")
    page.click("#f-reset")
    page.select_option("#f-check", "failed")
    page.click(".card")
    rows = page.eval_on_selector_all("#viewer table.results tr", "rows => rows.map(r => r.innerText)")
    assert len(rows) == 3 and "output equals input" in rows[1] and "Checks: failed" in page.inner_text("#viewer")
