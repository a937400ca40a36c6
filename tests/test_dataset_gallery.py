"""The dataset browser's page, read as data: what it holds for each item, its image links,
and its errors. (tests/test_gallery_browser.py drives it in a real browser.)"""
from __future__ import annotations

import json
import re

import pytest
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.cli import main
from ogi_toolkit.dataset.gallery import gallery_items, gallery_page, write_gallery


def page_items(text: str) -> list[dict]:
    match = re.search(r"<script type='application/json' id='ogi-data'>(.*?)</script>", text, re.S)
    return json.loads(match.group(1))["items"]


def test_every_item_is_on_the_page_with_relative_image_links_and_its_results(tmp_path):
    make_gallery_dataset(tmp_path / "data", extra=3)
    page = write_gallery(tmp_path / "data", tmp_path / "pages" / "gallery.html", title="t")
    items = {it["id"]: it for it in page_items(page.read_text(encoding="utf-8"))}
    assert sorted(items) == ["edit-1", "fail-1", "gen-1", "more-000", "more-001", "more-002", "ref-1", "turn-1"]
    srcs = [s for it in items.values() for s in [*it["inputs"], it["output"], *(t["image"] for t in it.get("turns", []))] if s]
    assert all(s.startswith("../data/images/") and (page.parent / s).is_file() for s in srcs)
    assert items["ref-1"]["inputs"] == ["../data/images/sr/src2.png", "../data/images/re/ref.png"]
    assert [t["instruction"] for t in items["turn-1"]["turns"]] == ["Remove the cup.", "Make the background a beach."]
    assert [t["image"] for t in items["turn-1"]["turns"]] == ["../data/images/tu/turn0.png", "../data/images/tu/turn1.png"]
    assert items["fail-1"]["status"] == "error" and items["fail-1"]["error"] == "x"
    assert items["edit-1"]["check"]["passed"] is False and items["edit-1"]["check"]["checks"][0]["reason"] == "output equals input"
    assert items["ref-1"]["judge"]["score"] == 0.875 and items["turn-1"]["judge"] == {"judge": "gpt-4o-mini", "error": "timeout judge timed out"}
    assert "check" not in items["ref-1"] and "judge" not in items["gen-1"]
    assert items["ref-1"]["spec"]["reference"]["scene"]["description"] == "a grey cat"  # the spec travels
    assert "instruction" not in items["ref-1"]["spec"]  # ...without what the item shows already


def test_image_paths_that_leave_the_dataset_folder_are_not_linked():
    records = [{"id": "x", "status": "done", "spec": {"kind": "generation"}, "output_image": "../../etc/passwd"}]
    from ogi_toolkit.dataset.gallery import _linker
    from pathlib import Path

    root = Path("/tmp/some/dataset")
    items = gallery_items(records, _linker(root, root))
    assert items[0]["output"] is None


def test_instructions_cannot_break_out_of_the_page():
    record = {"id": "x", "status": "done", "instruction": "</script><script>alert(1)</script> <!-- &",
              "spec": {"kind": "generation", "domain": "d", "subtask": "s"}, "output_image": "a.png"}
    text = gallery_page(gallery_items([record], lambda p: p))
    assert "alert(1)</script>" not in text and "<!--" not in text
    assert page_items(text)[0]["instruction"] == record["instruction"]


def test_ten_thousand_items_make_a_page_of_a_few_megabytes(tmp_path):
    spec = {"kind": "editing", "domain": "subject_manipulation", "subtask": "remove", "difficulty": 2, "template_id": "t",
            "source": {"description": "a kitchen with a red cup on a table", "objects": [{"name": "cup", "colour": "red"}]},
            "edits": [{"op": "remove", "target": 0}], "turns": [], "slots": {"object": "cup"}}
    records = [{"id": f"remove-{k:05d}", "status": "done", "instruction": f"Remove the red cup number {k} from the table.",
                "spec": {**spec, "id": f"remove-{k:05d}"}, "input_images": [f"images/ab/{k:064d}.png"],
                "output_image": f"images/cd/{k:064d}.png"} for k in range(10_000)]
    text = gallery_page(gallery_items(records, lambda p: p))
    assert len(page_items(text)) == 10_000
    assert len(text.encode()) < 8e6  # links, not images: ~0.6 kB an item


def test_bad_result_lines_name_the_file_and_line(tmp_path):
    make_gallery_dataset(tmp_path / "data", extra=0)
    with open(tmp_path / "data" / "checks.jsonl", "a") as f:
        f.write("{not json\n")
    with pytest.raises(ValueError, match=r"checks\.jsonl:3: not a JSON line"):
        write_gallery(tmp_path / "data")


def test_a_torn_last_result_line_is_skipped_as_everywhere_else(tmp_path):
    """#22 item 6: the gallery refused the whole file for a write cut short; filter and agreement skip it."""
    make_gallery_dataset(tmp_path / "data", extra=0)
    with open(tmp_path / "data" / "judgments.jsonl", "a") as f:
        f.write('{"id": "gen-1", "judge": "m", "sco')
    with pytest.warns(UserWarning, match=r"judgments\.jsonl:3: torn last line"):
        items = {item["id"]: item for item in page_items(write_gallery(tmp_path / "data").read_text())}
    assert items["ref-1"]["judge"]["score"] == 0.875 and "judge" not in items["gen-1"]


def test_the_command_writes_the_page_and_refuses_a_plan(tmp_path, capsys):
    make_gallery_dataset(tmp_path / "data", extra=0)
    assert main(["gallery", str(tmp_path / "data")]) == 0
    assert (tmp_path / "data" / "gallery.html").is_file() and "gallery.html" in capsys.readouterr().out
    plan = tmp_path / "plan.jsonl"
    plan.write_text('{"id": "a"}\n')
    assert main(["gallery", str(plan)]) == 2
    err = capsys.readouterr().err
    assert "a plan (one instruction spec per line), not a dataset folder" in err and "ogi generate" in err
    assert main(["gallery", str(tmp_path / "nothing")]) == 2
    assert "no such dataset folder" in capsys.readouterr().err
