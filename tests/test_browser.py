"""Once for real in a browser: JupyterLab on loopback, the prototyping notebook run in headless
Chromium (Debian's, driven by Playwright), the Sample button clicked, instructions seen.

The screenshot is kept in ``test-artifacts/`` as evidence of what a user sees.
"""
import shutil

import pytest
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, browser_marks, run_all_cells, running_jupyterlab

pytestmark = browser_marks


@pytest.fixture
def jupyterlab(tmp_path):
    shutil.copy(ROOT / "notebooks" / "02-prototype-subtask.ipynb", tmp_path)
    with running_jupyterlab(tmp_path) as (url, token):
        yield f"{url}/lab/tree/02-prototype-subtask.ipynb?token={token}"


def test_prototype_notebook_sample_button_in_a_real_browser(jupyterlab):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(jupyterlab)
            run_all_cells(page, sync_api)
            button = page.wait_for_selector("button.jupyter-button:has-text('Sample')", timeout=180_000)
            # The notebook's last cell sampled with seed 0; a new seed typed in the page and a
            # click must show other instructions.
            page.wait_for_selector(".ogi-instruction", timeout=120_000)
            before = [c.inner_text() for c in page.query_selector_all(".ogi-instruction")]
            seed = page.locator(".widget-text:has(label:text-is('Seed')) input")
            seed.fill("7")
            seed.press("Enter")
            button.click()
            page.wait_for_function(
                "old => { const now = [...document.querySelectorAll('.ogi-instruction')].map(e => e.innerText);"
                " return now.length > 0 && now.join('|') !== old.join('|'); }", arg=before, timeout=120_000)
            texts = [c.inner_text() for c in page.query_selector_all(".ogi-instruction")]
            page.screenshot(path=str(ARTIFACTS / "prototype-panel.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "prototype-panel-failure.png"))
            raise
        finally:
            browser.close()
    assert len(texts) >= 5 and texts != before
    assert all(len(t.split()) >= 3 for t in texts)  # real sentences, not placeholders
