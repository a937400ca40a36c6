"""The dataset browser at 10,000 items: page size, load time and filter/search time in headless
Chromium (Debian's, via Playwright). Run by hand: python bench/bench_gallery.py [--items N]"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from ogi_toolkit.dataset.gallery import gallery_items, gallery_page

SPEC = {"kind": "editing", "domain": "subject_manipulation", "difficulty": 2, "template_id": "t",
        "source": {"description": "a kitchen with a red cup on a table", "objects": [{"name": "cup", "colour": "red"}]},
        "edits": [{"op": "remove", "target": 0}], "slots": {"object": "cup"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    n = parser.parse_args().items
    records = [{"id": f"item-{k:05d}", "status": "done" if k % 37 else "error",
                "instruction": f"Remove the red cup number {k} from the table.",
                "spec": {**SPEC, "id": f"item-{k:05d}", "subtask": f"subtask_{k % 40}"},
                "input_images": [f"images/{k:064d}.png"], "output_image": f"images/{k + 1:064d}.png"} for k in range(n)]
    start = time.perf_counter()
    page = gallery_page(gallery_items(records, lambda p: p))
    build = time.perf_counter() - start
    folder = Path(tempfile.mkdtemp())
    (folder / "gallery.html").write_text(page, encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        tab.goto((folder / "gallery.html").as_uri())
        tab.wait_for_selector(".card")
        load = time.perf_counter() - start
        start = time.perf_counter()
        tab.select_option("#f-subtask", "subtask_7")
        filter_s = time.perf_counter() - start
        search_ms = tab.evaluate("""() => { const t = performance.now();
            const box = document.getElementById('f-search'); box.value = 'number 4247';
            box.dispatchEvent(new Event('input')); return new Promise(r => setTimeout(() => r(performance.now() - t - 120), 200)); }""")
        cards = tab.eval_on_selector_all(".card", "c => c.length")
        browser.close()
    shutil.rmtree(folder)
    print(f"{n} items: page {len(page.encode()) / 1e6:.1f} MB built in {build:.2f} s; opens in {load:.2f} s; "
          f"subtask filter {filter_s * 1000:.0f} ms; search ~{search_ms:.0f} ms; {cards} cards in the DOM")


if __name__ == "__main__":
    main()
