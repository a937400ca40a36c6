"""The gallery as a linked view (#27 items 11-12), in headless Chromium: the view kept in the
URL's hash and applied when it changes, counts that follow the other filters, sorting, jumping
to a page, full-size images, the before/after slider, judge and check tables, near-duplicate
twins and the named-cluster filter read from an analysis folder."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from browser_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_marks
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.analysis import repetition
from ogi_toolkit.analysis.io import load_prompts
from ogi_toolkit.analysis.topics import write_cluster_tables
from ogi_toolkit.dataset.gallery import read_analysis, write_gallery
from ogi_toolkit.folder import ManifestWriter

pytestmark = browser_marks
LONG = "a_subtask_name_so_long_that_it_would_run_out_of_its_card_unless_it_wraps_somewhere"


def _analysis(data, out):
    """An analysis folder as `ogi analyse DATASET` writes it (the same writers), with vectors
    chosen so that more-000 and more-001 are near-duplicates and the teapots form one cluster."""
    df = load_prompts(data)
    texts = df["text"].tolist()
    rng = np.random.default_rng(0)
    X = np.where(df["id"].str.startswith("more-").to_numpy()[:, None], [1.0, 0, 0], [0, 1.0, 0]) + rng.normal(0, .3, (len(df), 3))
    X[df["id"] == "more-001"] = X[df["id"] == "more-000"]
    X = (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)
    (out / "tables").mkdir(parents=True)
    write_cluster_tables(df, texts, X, out / "tables")
    near = repetition.semantic_near_duplicates(texts, X, threshold=0.999)
    near.pairs.to_csv(out / "tables" / "near_duplicate_pairs.csv", index=False)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("linked")
    data = root / "data"
    make_gallery_dataset(data, extra=70)
    with ManifestWriter(data / "manifest.jsonl") as writer:
        spec = {"id": "long-1", "kind": "generation", "domain": "style_control", "subtask": LONG, "template_id": "t",
                "difficulty": 2, "instruction": "A mug."}
        writer.append({"id": "long-1", "status": "done", "spec": spec, "instruction": "A mug.", "input_images": [],
                       "output_image": "images/ge/gen.png", "turn_images": []})
    with open(data / "judgments.jsonl", "a") as f:  # scores for three teapots: the sort has something to order
        for k, score in ((2, 0.2), (5, 0.9), (8, 0.5)):  # all grade 3
            f.write(json.dumps({"id": f"more-{k:03d}", "judge": "j", "score": score, "passed": score > .4, "error": None}) + "\n")
    with open(data / "checks.jsonl", "a") as f:  # a multi-turn item's checks, one row per turn
        f.write(json.dumps({"id": "turn-1", "passed": True, "checks": [
            {"name": "edit_changed_input", "value": .3, "passed": True, "turn": 1},
            {"name": "edit_changed_input", "value": .2, "passed": True, "turn": 2}]}) + "\n")
    analysis = _analysis(data, root / "analysis")
    return write_gallery(data, data / "gallery.html", title="linked", analysis=analysis).resolve().as_uri(), analysis


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = chromium.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        yield tab
        chromium.close()
        assert errors == []


def cards(tab) -> list[str]:
    return [c.get_attribute("data-id") for c in tab.query_selector_all(".card")]


def options(tab, name) -> dict[str, str]:
    return {o.get_attribute("value"): o.inner_text() for o in tab.query_selector_all(f"#f-{name} option")}


def test_read_analysis_gives_clusters_and_twins(site):
    found = read_analysis(site[1])
    assert len(found) == 76 and found["more-000"]["twins"][0][0] == "more-001"
    teapots = found["more-000"]["cluster"]
    assert "teapot" in teapots and all(i.startswith("more-") for i, f in found.items() if f["cluster"] == teapots)
    with pytest.raises(FileNotFoundError, match="item_clusters.csv"):
        read_analysis(site[1] / "tables")


def test_a_view_in_the_hash_is_restored_and_counts_follow_the_other_filters(site, browser):
    browser.goto(site[0] + "#domain=style_control&difficulty=3&sort=score-desc")
    assert browser.input_value("#f-domain") == "style_control" and browser.input_value("#f-difficulty") == "3"
    assert browser.inner_text("#count") == "23 of 76 items"
    assert cards(browser)[:4] == ["more-005", "more-008", "more-002", "more-011"]  # scored best first, then the rest
    # each filter counts the items the others let through
    assert options(browser, "difficulty")["1"] == "1 (25)"   # style_control: 24 teapots + gen-1
    assert options(browser, "domain")["style_control"] == "style_control (23)"
    assert "subject_manipulation" not in options(browser, "domain")  # it has no grade-3 item
    browser.select_option("#f-difficulty", "")
    assert options(browser, "difficulty")["1"] == "1 (25)" and browser.inner_text("#count") == "72 of 76 items"
    assert "difficulty" not in browser.evaluate("location.hash")
    browser.select_option("#f-sort", "failed-checks")
    browser.select_option("#f-domain", "")
    assert cards(browser)[0] == "edit-1"
    # a changed hash (another page's link) is applied at once
    browser.evaluate("location.hash = '#judge=passed&sort=score-asc'")
    browser.wait_for_function("document.querySelector('#count').innerText === '3 of 76 items'")
    assert cards(browser) == ["more-008", "ref-1", "more-005"] and browser.input_value("#f-sort") == "score-asc"
    browser.screenshot(path=str(ARTIFACTS / "gallery-hash-restored.png"))


def test_jump_to_a_page_and_long_subtasks_wrap(site, browser):
    browser.goto(site[0])
    browser.fill("#p-jump", "2")
    browser.dispatch_event("#p-jump", "change")
    assert browser.inner_text("#p-label") == "page 2 of 2" and "page=2" in browser.evaluate("location.hash")
    browser.reload()
    assert browser.inner_text("#p-label") == "page 2 of 2"
    browser.evaluate("location.hash = '#q=mug'")
    browser.wait_for_function("document.querySelector('#count').innerText === '1 of 76 items'")
    card = browser.query_selector(".card[data-id='long-1'] .meta")
    assert card.evaluate("m => m.scrollWidth <= m.clientWidth + 1") and LONG in card.inner_text()


def test_viewer_zoom_slider_tables_and_twins(site, browser):
    browser.goto(site[0] + "#item=edit-1")
    browser.wait_for_selector("#viewer[open]")
    assert "item=edit-1" in browser.evaluate("location.hash")
    # before/after slider: the output covers the input from the slider's position on
    assert browser.eval_on_selector(".compare .after", "a => a.style.clipPath") == "inset(0px 0px 0px 50%)"
    browser.fill(".c-range", "20")
    assert browser.eval_on_selector(".compare .after", "a => a.style.clipPath") == "inset(0px 0px 0px 20%)"
    sizes = browser.eval_on_selector_all(".compare img", "imgs => imgs.map(i => [i.naturalWidth, i.clientWidth])")
    assert len(sizes) == 2 and all(natural > 0 and shown > 300 for natural, shown in sizes), sizes
    browser.screenshot(path=str(ARTIFACTS / "gallery-slider.png"))
    # a click on an image shows it at full size, a click closes it
    browser.click("#viewer figure img")
    browser.wait_for_selector("#zoom[open]")
    natural, shown = browser.eval_on_selector("#zoom-img", "i => [i.naturalWidth, i.clientWidth]")
    assert natural > 0 and shown == natural
    browser.click("#zoom")
    browser.wait_for_selector("#zoom:not([open])", state="hidden")

    browser.evaluate("location.hash = '#item=ref-1'")
    browser.wait_for_function("document.querySelector('#v-pos').innerText.includes('ref-1')")
    rows = browser.eval_on_selector_all("#viewer table.results tr", "rows => rows.map(r => r.innerText.split('\\t'))")
    assert ["criterion", "score", "reason"] in rows and ["faithfulness", "1", "the cat is on the table"] in rows
    assert ["question", "answer"] in rows and ["Is the cat on the table?", "yes"] in rows
    assert not browser.query_selector(".compare")  # two inputs: no single before/after

    browser.evaluate("location.hash = '#item=turn-1'")
    browser.wait_for_function("document.querySelector('#v-pos').innerText.includes('turn-1')")
    rows = browser.eval_on_selector_all("#viewer table.results tr", "rows => rows.map(r => r.innerText.split('\\t'))")
    assert rows[0][:2] == ["turn", "name"] and [r[0] for r in rows[1:3]] == ["1", "2"]

    # a near-duplicate links to its twin, also when the filters hide the twin
    browser.evaluate("location.hash = '#q=number+7&item=more-000'")  # the search hides more-000: it is cleared
    browser.wait_for_function("document.querySelector('#v-pos').innerText.includes('more-000')")
    assert browser.input_value("#f-search") == ""
    browser.click("#viewer .twins a")
    browser.wait_for_function("document.querySelector('#v-pos').innerText.includes('more-001')")
    assert "Near-duplicate of more-000" in browser.inner_text("#viewer .twins")


def test_cluster_filter_from_the_analysis(site, browser):
    browser.goto(site[0])
    assert "near-duplicate" in browser.inner_text(".card[data-id='more-000']")
    clusters = {v: t for v, t in options(browser, "cluster").items() if v}
    teapots = read_analysis(site[1])["more-000"]["cluster"]
    assert teapots in clusters and not browser.query_selector("#l-cluster").is_hidden()
    browser.select_option("#f-cluster", teapots)
    shown = int(browser.inner_text("#count").split()[0])
    assert clusters[teapots] == f"{teapots} ({shown})" and all(c.startswith("more-") for c in cards(browser))
    assert "cluster=" in browser.evaluate("location.hash")
