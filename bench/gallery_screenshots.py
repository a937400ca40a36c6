"""Screenshots of the dataset browser at 10,000 items (#27 items 11-12), to look at by eye:
a filter and sort restored from the URL, the before/after slider, an image at full size, and
the named-cluster filter. Run by hand: python bench/gallery_screenshots.py OUT_FOLDER [--items N]"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from playwright.sync_api import sync_playwright

from ogi_toolkit.analysis.topics import write_cluster_tables
from ogi_toolkit.dataset.gallery import write_gallery
from ogi_toolkit.folder import ManifestWriter

THEMES = ["a red cup on a kitchen table", "a sailing boat at sunset", "a mountain cabin in snow", "a robot reading a book"]
EDITS = ["Remove the {}.", "Make the {} blue.", "Add a cat next to the {}."]
SUBTASKS = ["remove", "recolour", "add_object", "a_very_long_subtask_name_that_has_to_wrap_inside_its_card"]


def make(folder: Path, n: int) -> Path:
    images = folder / "data" / "images"
    images.mkdir(parents=True)
    for k, colour in enumerate(["#c33", "#36c", "#3a3", "#c90", "#939", "#099"]):
        image = Image.new("RGB", (512, 512), "#f4f1ea")
        draw = ImageDraw.Draw(image)
        draw.rectangle([60 + 20 * k, 160, 300 + 20 * k, 420], fill=colour)
        draw.ellipse([320, 60, 460, 200], fill="#222" if k % 2 else "#fc3")
        draw.text((20, 20), f"image {k}", fill="#000")
        image.save(images / f"{k}.png")
    rng = np.random.default_rng(0)
    judgments, checks = [], []
    with ManifestWriter(folder / "data" / "manifest.jsonl") as writer:
        for k in range(n):
            theme, subtask = THEMES[k % 4], SUBTASKS[(k // 4) % 4]
            instruction = EDITS[k % 3].format(theme.split()[2]) + f" (item {k})"
            spec = {"id": f"item-{k:05d}", "kind": "editing", "domain": "subject_manipulation", "subtask": subtask,
                    "difficulty": 1 + k % 3, "template_id": "t", "instruction": instruction}
            writer.append({"id": spec["id"], "status": "done", "spec": spec, "instruction": instruction,
                           "input_images": [f"images/{k % 3}.png"], "output_image": f"images/{3 + k % 3}.png", "turn_images": []})
            score = round(float(rng.uniform()), 3)
            judgments.append({"id": spec["id"], "judge": "j", "score": score, "passed": score > .5, "criteria": {"faithfulness": score},
                              "reasons": {"faithfulness": "the object is where the instruction says"},
                              "questions": [{"question": "Was the object edited?", "answer": "yes" if score > .5 else "no"}], "error": None})
            checks.append({"id": spec["id"], "passed": k % 7 != 0, "checks": [
                {"name": "edit_changed_input", "value": .2, "threshold": .05, "passed": True},
                {"name": "blank_image", "value": .01 if k % 7 == 0 else .3, "threshold": .02, "passed": k % 7 != 0}]})
    (folder / "data" / "judgments.jsonl").write_text("".join(json.dumps(r) + "\n" for r in judgments))
    (folder / "data" / "checks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in checks))
    import pandas as pd
    from ogi_toolkit.analysis.io import load_prompts

    df = load_prompts(folder / "data")
    X = np.eye(4)[np.arange(len(df)) % 4] + rng.normal(0, .05, (len(df), 4))
    (folder / "analysis" / "tables").mkdir(parents=True)
    write_cluster_tables(df, df["text"].tolist(), X.astype(np.float32), folder / "analysis" / "tables")
    pd.DataFrame(columns=["i", "j", "similarity"]).to_csv(folder / "analysis" / "tables" / "near_duplicate_pairs.csv", index=False)
    return write_gallery(folder / "data", analysis=folder / "analysis")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    page = make(folder, args.items)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        cluster = tab.evaluate("() => 0") or None
        start = time.perf_counter()
        tab.goto(page.resolve().as_uri() + "#subtask=recolour&judge=failed&sort=score-desc&page=3")
        tab.wait_for_selector(".card")
        print(f"{args.items} items: opened with a URL-restored filter in {time.perf_counter() - start:.2f} s; "
              f"{tab.inner_text('#count')}, {tab.inner_text('#p-label')}")
        tab.screenshot(path=str(args.out / "gallery-10k-url-filter-sorted.png"))
        cluster = tab.eval_on_selector_all("#f-cluster option", "o => o.map(x => x.value).filter(Boolean)")[1]
        tab.select_option("#f-cluster", cluster)
        tab.select_option("#f-sort", "failed-checks")
        tab.screenshot(path=str(args.out / "gallery-10k-cluster-failed-checks.png"))
        tab.click(".card")
        tab.wait_for_selector("#viewer[open]")
        tab.fill(".c-range", "35")
        tab.eval_on_selector(".compare-box", "b => b.scrollIntoView()")
        tab.screenshot(path=str(args.out / "gallery-10k-slider.png"))
        tab.eval_on_selector("#v-body", "b => b.querySelector('.v-cols').scrollIntoView()")
        tab.screenshot(path=str(args.out / "gallery-10k-judge-table.png"))
        tab.click("#viewer figure img")
        tab.wait_for_selector("#zoom[open]")
        tab.screenshot(path=str(args.out / "gallery-10k-zoom.png"))
        browser.close()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
