"""Names and links from data files (#22 item 8): file names with control characters (ESC, BEL,
U+202E) are cleaned on import and reported; pages link only to relative files (a manifest path
``javascript:...`` became an href in the gallery); report.md escapes HTML in its tables."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd
from dataset_fixtures import make_dataset, png

from ogi_toolkit.analysis.markdown import report_markdown
from ogi_toolkit.dataset.gallery import gallery_page, write_gallery
from ogi_toolkit.dataset.import_opengpt import import_opengpt
from ogi_toolkit.dataset.safe_files import relative_href
from ogi_toolkit.folder import read_manifest

HOSTILE_NAMES = ["red\x1b[31m.png", "bell\x07.png", "tab\tname.png", "\u202egnp.exe.png", "red[31m.png"]


def _bad_chars(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]


def test_imported_file_names_lose_control_and_bidi_characters_and_are_reported(tmp_path):
    root = tmp_path / "release"
    (root / "gen").mkdir(parents=True)
    rows = []
    for i, name in enumerate(HOSTILE_NAMES):
        (root / "gen" / name).write_bytes(png((20 * i, 100, 200 - 20 * i)))
        rows.append({"input_prompt": f"Picture {i}.", "output_image": f"gen/{name}"})
    (root / "gen.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = import_opengpt(root, tmp_path / "out")
    records = read_manifest(tmp_path / "out")
    assert len(records) == len(HOSTILE_NAMES)
    written = [p for p in (tmp_path / "out").rglob("*")]
    assert not [p for p in written if _bad_chars(p.name)], written
    outputs = [r["output_image"] for r in records]
    assert len(set(outputs)) == len(outputs)  # "red\x1b[31m.png" and "red[31m.png" stay two files
    for record, i in zip(sorted(records, key=lambda r: r["instruction"]), range(len(HOSTILE_NAMES))):
        assert (tmp_path / "out" / record["output_image"]).read_bytes() == (root / "gen" / HOSTILE_NAMES[i]).read_bytes()
    renamed = [p for p in report.problems if p["action"] == "renamed"]
    assert len(renamed) == 4 and {"ESC", "BEL", "RIGHT-TO-LEFT OVERRIDE"} <= {
        word for p in renamed for word in ("ESC", "BEL", "RIGHT-TO-LEFT OVERRIDE") if word in p["problem"]}


def test_pages_link_only_to_relative_files():
    for bad in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                "https://example.org/x.png", "//example.org/x.png", "/etc/passwd", "C:/x.png"]:
        assert relative_href(bad) is None, bad
    assert relative_href("../images/a b#1?.png") == "../images/a%20b%231%3F.png"
    page = gallery_page([], links={"report": "analysis/report.md", "evil": "javascript:alert(1)"})
    assert "href='analysis/report.md'" in page and "javascript:" not in page


def test_a_manifest_path_that_is_a_url_is_not_linked_in_the_gallery(tmp_path):
    make_dataset(tmp_path / "ds")
    manifest = tmp_path / "ds" / "manifest.jsonl"
    lines = [json.loads(line) for line in manifest.read_text().splitlines()]
    hostile = {**next(line for line in lines if line["status"] == "done"), "output_image": "javascript:alert(1)"}
    manifest.write_text("".join(json.dumps(line) + "\n" for line in [*lines, hostile]))  # the last line wins
    page = write_gallery(tmp_path / "ds").read_text()
    items = json.loads(page.split("id='ogi-data'>")[1].split("</script>")[0])["items"]
    (item,) = [i for i in items if i["id"] == hostile["id"]]
    assert item["output"] is None  # not linked: gallery.js shows no image and no link for it
    assert all(i["output"] is None or not i["output"].startswith(("javascript", "/")) for i in items)
    assert sum(i["output"] is not None for i in items) >= 3  # the other finished items keep their links


def test_report_tables_escape_html(tmp_path):
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"skeleton": ["<script>alert(1)</script> a | b"], "count": [3]}).to_csv(
        tmp_path / "tables" / "skeletons.csv", index=False)
    summary = {"groups": {"subtask": {"<img src=x onerror=alert(1)>": {"n": 1}}}}
    text = report_markdown(summary, tmp_path)
    assert "<script>" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a / b" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
