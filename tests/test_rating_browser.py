"""Once for real in a browser: JupyterLab on loopback runs a notebook with a RatingPanel, headless
Chromium (Debian's, driven by Playwright) rates three items with the keyboard only, the page is
reloaded and the notebook run again, and the panel resumes at the fourth item.

The screenshot is kept in ``test-artifacts/rating-panel.png``.
"""
import json

import nbformat
import pytest
from rating_fixtures import make_rating_dataset
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks, run_all_cells, running_jupyterlab

from ogi_toolkit.quality.ratings.ratings import RatingSession

pytestmark = browser_marks


@pytest.fixture
def rating_lab(tmp_path):
    data = make_rating_dataset(tmp_path / "run1")
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(
        f"from ogi_toolkit.widgets import RatingPanel\npanel = RatingPanel({str(data)!r}, rater='ana')\npanel")]
    nbformat.write(notebook, tmp_path / "rate.ipynb")
    with running_jupyterlab(tmp_path) as (url, token):
        yield f"{url}/lab/tree/rate.ipynb?token={token}", data


def _run_notebook(page, sync_api):
    run_all_cells(page, sync_api)
    page.wait_for_selector(".ogi-rating-panel .ogi-keys", timeout=180_000)


def _shown_id(page) -> str:
    return page.inner_text(".ogi-rating-panel .ogi-item-id")


def test_rating_panel_keyboard_and_resume_in_a_real_browser(rating_lab):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    url, data = rating_lab
    order = [item.id for item in RatingSession(data, "ana").order]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" on reload
        try:
            page.goto(url)
            _run_notebook(page, sync_api)
            page.click(".ogi-rating-panel .ogi-rating-instruction")  # a click anywhere on the panel gives it the keys
            rated = []
            for k in range(3):
                shown = _shown_id(page)
                assert shown == order[k]
                rated.append(shown)
                for key in ("7", "8", "6", "5", "y"):  # criteria (a generation has 3), a question
                    page.keyboard.press(key)
                if k == 0:  # the page shows what the keys chose: one lit button per score and answer, and the verdict
                    page.wait_for_function("() => document.querySelectorAll('.ogi-rating-panel .widget-toggle-button.mod-active').length >= 5",
                                           timeout=30_000)
                    page.screenshot(path=str(ARTIFACTS / "rating-panel-keys.png"), full_page=False)
                page.keyboard.press("Enter")
                page.wait_for_function("old => document.querySelector('.ogi-rating-panel .ogi-item-id')?.innerText !== old",
                                       arg=shown, timeout=60_000)
            page.reload()
            _run_notebook(page, sync_api)
            resumed = _shown_id(page)
            page.wait_for_timeout(500)  # let the images paint before the screenshot
            page.screenshot(path=str(ARTIFACTS / "rating-panel.png"), full_page=False)
            progress = page.inner_text(".ogi-rating-panel .widget-html:has(.ogi-item-id)")
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "rating-panel-failure.png"))
            raise
        finally:
            browser.close()
    assert resumed == order[3]
    assert progress.startswith(f"4 / {len(order)}")
    lines = [json.loads(line) for line in (data / "ratings.jsonl").read_text().splitlines()]
    assert [line["id"] for line in lines] == rated == order[:3]
    for line in lines:
        assert line["rater"] == "ana" and not line["skipped"]
        expected = dict(zip(["instruction_compliance", "realism", "preservation", "technical"], [7, 8, 6, 5]))
        if "preservation" not in line["criteria"]:  # a generation: its third key scored "technical"
            expected = {"instruction_compliance": 7, "realism": 8, "technical": 6}
        assert line["criteria"] == expected
        assert line["questions"][0]["answer"] == "yes"
