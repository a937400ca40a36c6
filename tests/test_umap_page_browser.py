"""The interactive projection page in a real browser: coloured by each label in turn from its
selector, the legend follows, hovering a point shows its prompt. A screenshot is kept."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks

from ogi_toolkit.analysis.plots import umap_html

pytestmark = browser_marks


def test_colour_by_switches_the_legend_and_hover_shows_the_prompt(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    n = 200
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"x": rng.normal(size=n), "y": rng.normal(size=n), "text": [f"prompt number {k}" for k in range(n)],
                         "kind": ["generation", "editing"] * (n // 2),
                         "domain": ["style_control", "text_editing", "spatial_reasoning", "global_editing"] * (n // 4),
                         "check": ["passed", "failed"] * (n // 2)})
    data.loc[0, ["x", "y"]] = (0.0, 0.0)
    page_path = umap_html(data, tmp_path / "umap.html", hue="kind", hover=("domain", "check"), title="T", method="UMAP")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 950})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(page_path.as_uri())
        legend = lambda: [row.inner_text() for row in page.query_selector_all("#legend div")]  # noqa: E731
        assert legend() == ["editing (100)", "generation (100)"]
        assert [o.inner_text() for o in page.query_selector_all("#colour-by option")] == ["kind", "domain", "check"]
        page.select_option("#colour-by", label="domain")
        assert len(legend()) == 4 and "text_editing (50)" in legend()
        page.select_option("#colour-by", label="check")
        assert legend() == ["failed (100)", "passed (100)"]
        # the point at (0, 0): find where the page drew it and hover there
        x, y = page.evaluate("""() => { const P = JSON.parse(document.getElementById('points').textContent);
            const i = P.text.indexOf('prompt number 0'); const c = document.getElementById('plot').getBoundingClientRect();
            const lo = a => Math.min(...a), hi = a => Math.max(...a);
            const W = c.width - 58, H = c.height - 52;
            return [c.left + 46 + (0.04 + 0.92 * (P.x[i] - lo(P.x)) / (hi(P.x) - lo(P.x))) * W,
                    c.top + 12 + H - (0.04 + 0.92 * (P.y[i] - lo(P.y)) / (hi(P.y) - lo(P.y))) * H]; }""")
        page.mouse.move(x, y)
        tip = page.wait_for_selector("#tip", state="visible")
        assert "prompt number 0" in tip.inner_text() and "check: passed" in tip.inner_text()
        page.screenshot(path=str(ARTIFACTS / "umap-page.png"))
        browser.close()
    assert errors == []
