"""The projection page linked to the gallery (#27 item 13), in headless Chromium: hovering a
point shows its id and thumbnail, clicking it opens the item in the gallery (one tab, reused),
and a shift-drag lasso saves the selected ids as a list `ogi filter --ids` reads."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.analysis.linked import judge_score_class
from ogi_toolkit.analysis.plots import umap_html
from ogi_toolkit.cli import main
from ogi_toolkit.dataset.gallery import write_gallery
from ogi_toolkit.folder import read_manifest

pytestmark = browser_marks


def test_judge_scores_fall_in_their_classes():
    assert [judge_score_class({"score": s}) for s in (0, 0.25, 0.6, 0.75, 1)] == \
        ["score 0.00-0.25", "score 0.25-0.50", "score 0.50-0.75", "score >= 0.75", "score >= 0.75"]
    assert judge_score_class(None) == judge_score_class({"score": 0.9, "error": "x"}) == "no score"


def test_a_point_opens_the_gallery_and_a_lasso_saves_ids(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    data = tmp_path / "data"
    make_gallery_dataset(data, extra=20)
    gallery = write_gallery(data)
    records = read_manifest(data)
    ids = [r["id"] for r in records]
    # two clumps: the teapots on the left, the rest on the right
    x = [(-1.0 if i.startswith("more-") else 1.0) + 0.02 * k for k, i in enumerate(ids)]
    frame = pd.DataFrame({"x": x, "y": np.linspace(0, 1, len(ids)), "text": [r["instruction"] for r in records], "id": ids,
                          "image_path": [str(data / r["output_image"]) if r.get("output_image") else None for r in records],
                          "cluster": ["teapots" if i.startswith("more-") else "others" for i in ids]})
    page_path = umap_html(frame, tmp_path / "report" / "figures" / "umap.html", hue="cluster",
                          gallery="../../data/gallery.html")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 950}, accept_downloads=True)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(page_path.as_uri())
        where = """(id) => { const P = JSON.parse(document.getElementById('points').textContent);
            const c = document.getElementById('plot').getBoundingClientRect(); const k = P.id.indexOf(id);
            const [x0, x1] = [Math.min(...P.x), Math.max(...P.x)], [y0, y1] = [Math.min(...P.y), Math.max(...P.y)];
            const W = 900 - 58, H = 760 - 52;
            return [c.left + 46 + (0.04 + 0.92 * (P.x[k] - x0) / (x1 - x0)) * W,
                    c.top + 12 + H - (0.04 + 0.92 * (P.y[k] - y0) / (y1 - y0)) * H]; }"""
        x, y = page.evaluate(where, "edit-1")
        page.mouse.move(x, y)
        tip = page.wait_for_selector("#tip", state="visible")
        assert tip.inner_text().startswith("edit-1\n") and "cluster: others" in tip.inner_text()
        assert page.eval_on_selector("#tip img", "i => i.complete && i.naturalWidth > 0")
        page.screenshot(path=str(ARTIFACTS / "umap-linked-hover.png"))
        with context.expect_page() as opened:
            page.mouse.click(x, y)
        tab = opened.value
        tab.wait_for_selector("#viewer[open]")
        assert tab.url == gallery.resolve().as_uri() + "#item=edit-1" and "edit-1" in tab.inner_text("#v-pos")
        tab.screenshot(path=str(ARTIFACTS / "umap-linked-gallery.png"))
        # a second point reuses the gallery's tab, whose hash change opens the other item
        x2, y2 = page.evaluate(where, "ref-1")
        page.mouse.click(x2, y2)
        tab.wait_for_function("document.querySelector('#v-pos').innerText.includes('ref-1')")
        assert len(context.pages) == 2

        # lasso around the teapots' clump (left half of the plot)
        box = page.query_selector("#plot").bounding_box()
        left, top, mid, bottom = box["x"] + 47, box["y"] + 13, box["x"] + 450, box["y"] + 720
        page.keyboard.down("Shift")
        page.mouse.move(left, top)
        page.mouse.down()
        for px, py in ((mid, top), (mid, bottom), (left, bottom), (left, top + 1)):
            page.mouse.move(px, py, steps=5)
        page.mouse.up()
        page.keyboard.up("Shift")
        assert page.inner_text("#picked") == "20"
        page.screenshot(path=str(ARTIFACTS / "umap-linked-lasso.png"))
        with page.expect_download() as download:
            page.click("#save-ids")
        saved = tmp_path / "selection.txt"
        download.value.save_as(saved)
        browser.close()
    assert errors == []
    assert saved.read_text().split() == sorted(i for i in ids if i.startswith("more-"))
    (data / "checks.jsonl").unlink()
    assert main(["filter", str(data), "--out", str(tmp_path / "picked"), "--ids", str(saved)]) == 0
    assert sorted(r["id"] for r in read_manifest(tmp_path / "picked")) == sorted(i for i in ids if i.startswith("more-"))
