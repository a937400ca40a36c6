"""The released OpenGPT-4o-Image layout both ways, on small datasets made here with PIL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from dataset_fixtures import make_dataset, png
from ogi_toolkit.cli import main
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.export_opengpt import export_opengpt
from ogi_toolkit.dataset.import_opengpt import import_opengpt
from ogi_toolkit.dataset.opengpt import PLACEHOLDER, with_placeholder


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def dataset(tmp_path):
    root = tmp_path / "data"
    images = make_dataset(root)
    return root, images


def test_export_writes_the_released_layout(dataset, tmp_path):
    root, images = dataset
    out = tmp_path / "og"
    report = export_opengpt(root, out)
    gen, editing = jsonl(out / "gen.json"), jsonl(out / "editing.json")
    assert gen == [{"input_prompt": "A lighthouse at dusk, shot on analog film.", "output_image": "gen/0.png"}]
    assert (out / "gen/0.png").read_bytes() == images["images/ge/gen.png"]
    # single edit, reference edit, and the two turns of the multi-turn item
    assert len(editing) == 4
    assert editing[0] == {"input_prompt": "Remove the red cup from the table.", "input_image": ["editing/input_0.png"],
                          "output_image": "editing/output_0.png"}
    assert editing[1]["input_prompt"] == f"Add the cat from {PLACEHOLDER} to the kitchen, on the table."
    assert editing[1]["input_image"] == ["editing/input_1.png", "editing/input_1_1.png"]
    assert (out / "editing/input_1_1.png").read_bytes() == images["images/re/ref.png"]
    first, second = editing[2], editing[3]
    assert first["input_prompt"] == "Remove the cup." and second["input_prompt"] == "Make the background a beach."
    assert second["input_image"] == [first["output_image"]]  # the chain: turn 1 edits turn 0's output
    assert (out / second["output_image"]).read_bytes() == images["images/tu/turn1.png"]
    for row in editing:
        for path in [*row["input_image"], row["output_image"]]:
            assert (out / path).is_file()
    assert report.counts["items error"] == 1 and report.counts["items done"] == 4
    assert not list(tmp_path.glob(".og.tmp-*"))  # the staging folder was moved into place


def test_round_trip_restores_ids_specs_chains_and_images(dataset, tmp_path):
    root, images = dataset
    export_opengpt(root, tmp_path / "og")
    report = import_opengpt(tmp_path / "og", tmp_path / "back")
    assert report.problems == []
    original = {r["id"]: r for r in read_manifest(root) if r["status"] == "done"}
    back = {r["id"]: r for r in read_manifest(tmp_path / "back")}
    assert set(back) == set(original)
    for rid, record in back.items():
        assert record["status"] == "done"
        assert record["spec"] == original[rid]["spec"]
        assert len(record["input_images"]) == len(original[rid]["input_images"])
        assert len(record["turn_images"]) == len(original[rid]["turn_images"])
        pairs = zip([*record["input_images"], *record["turn_images"], record["output_image"]],
                    [*original[rid]["input_images"], *original[rid]["turn_images"], original[rid]["output_image"]])
        for new, old in pairs:
            assert (tmp_path / "back" / new).read_bytes() == images[old]
    assert back["ref-1"]["instruction"] == f"Add the cat from {PLACEHOLDER} to the kitchen, on the table."
    assert back["turn-1"]["instruction"] == original["turn-1"]["instruction"]
    frame = load_dataset(tmp_path / "back")
    assert sorted(frame["subtask"]) == ["photographic_styles", "reference_image", "remove", "two_turns"]


def _released(root: Path) -> None:
    """A hand-made sample of the released layout, with the quirks of real data."""
    for rel, colour in [("gen/0.png", (10, 20, 30)), ("gen/2.png", (40, 50, 60)), ("editing/input_0.png", (1, 2, 3)),
                        ("editing/output_0.png", (4, 5, 6)), ("editing/input_1.png", (7, 8, 9)),
                        ("editing/input_1b.png", (9, 8, 7)), ("editing/output_1.png", (6, 5, 4)),
                        ("editing/input_3.png", (3, 3, 3)), ("editing/output_3.png", (5, 5, 5))]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(png(colour))
    lines = [
        json.dumps({"input_prompt": "A red kite over a green hill.", "output_image": "gen/0.png"}),
        "",  # line 2: blank
        json.dumps({"input_prompt": "A missing picture.", "output_image": "gen/1.png"}),  # line 3: file missing
        "{not json",  # line 4
        json.dumps({"prompt": "Two cats on a sofa.", "output_image": "gen/2.png"}),  # line 5: alias key
        json.dumps({"output_image": "gen/0.png"}),  # line 6: no prompt
    ]
    (root / "gen.json").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")  # with a BOM
    editing = [  # a JSON array, not JSON Lines
        {"input_prompt": "Make the sky pink.", "input_image": "editing/input_0.png", "output_image": "editing/output_0.png"},
        {"input_prompt": "Add a girl to <image> sitting on the bench.",
         "input_image": ["editing/input_1.png", "editing/input_1b.png"], "output_image": "editing/output_1.png"},
        {"input_prompt": "Remove the dog.", "input_image": ["editing/input_2.png"], "output_image": "editing/output_2.png"},
        {"input_prompt": "Put <image> and <image> and <image> here.", "input_image": ["editing/input_3.png"],
         "output_image": "editing/output_3.png"},
    ]
    (root / "editing.json").write_text(json.dumps(editing, indent=1))


def test_import_tolerates_the_quirks_of_released_data_and_reports_them(tmp_path):
    released = tmp_path / "OpenGPT-4o-Image"
    _released(released)
    report = import_opengpt(released, tmp_path / "og")
    assert report.counts["generation items imported"] == 2
    assert report.counts["editing items imported"] == 3
    problems = {p["where"]: p for p in report.problems}
    assert problems["gen.json:3"]["problem"] == "image file missing: gen/1.png"
    assert problems["gen.json:4"]["problem"].startswith("not valid JSON")
    assert "no prompt" in problems["gen.json:6"]["problem"]
    assert problems["editing.json:3"]["problem"] == "image file missing: editing/input_2.png"
    assert problems["editing.json:4"]["action"] == "kept"  # 3 placeholders, 1 input image: odd, but kept
    assert all(p["action"] == "skipped" for w, p in problems.items() if w != "editing.json:4")
    assert report.counts["blank lines"] == 1
    assert report.counts["editing.json: a JSON array, not JSON Lines"] == 1
    assert report.counts["prompt read from 'prompt'"] == 1
    assert report.counts["input_image given as a string, not a list"] == 1
    assert report.counts["records with several input images"] == 1
    assert report.counts[f"prompts with an {PLACEHOLDER} placeholder"] == 2
    summary = report.summary()
    assert "gen.json:3: image file missing: gen/1.png (skipped)" in summary

    frame = load_dataset(tmp_path / "og")
    assert list(frame["id"]) == ["og-gen-L1", "og-gen-L5", "og-edit-L1", "og-edit-L2", "og-edit-L4"]
    assert set(frame["domain"]) == {"unlabelled"} and set(frame["subtask"]) == {"unlabelled"}
    assert list(frame["kind"]) == ["generation"] * 2 + ["editing"] * 3
    first = frame.iloc[0]
    assert first["instruction"] == "A red kite over a green hill."
    assert frame.iloc[1]["instruction"] == "Two cats on a sofa."  # read from the alias key
    with Image.open(first["output_image"]) as image:
        assert image.getpixel((0, 0)) == (10, 20, 30)
    reference = frame.set_index("id").loc["og-edit-L2"]
    assert reference["instruction"] == "Add a girl to <image> sitting on the bench."
    assert [Path(p).name for p in reference["input_images"]] == ["input_1.png", "input_1b.png"]
    saved = json.loads((tmp_path / "og" / "import_report.json").read_text())
    assert saved["counts"]["generation items imported"] == 2 and len(saved["problems"]) == len(report.problems)


def test_import_needs_the_layout_and_a_new_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither gen.json nor editing.json"):
        import_opengpt(tmp_path, tmp_path / "out")
    released = tmp_path / "rel"
    _released(released)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        import_opengpt(released, tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


def test_import_with_limit_and_links(tmp_path):
    released = tmp_path / "rel"
    _released(released)
    report = import_opengpt(released, tmp_path / "og", limit=1, link=True)
    assert report.counts["generation items imported"] == 1 and report.counts["editing items imported"] == 1
    linked = tmp_path / "og" / "images" / "gen" / "0.png"
    assert linked.stat().st_ino == (released / "gen" / "0.png").stat().st_ino  # same file, no copy


@pytest.mark.parametrize("text,expected", [
    ("Add the cat from the second image here.", "Add the cat from <image> here."),
    ("Take the dog shown in the reference photo.", "Take the dog shown in <image>."),
    ("Add a girl to <image> on the bench.", "Add a girl to <image> on the bench."),
    ("Add the dog to the park.", "Add the dog to the park. <image>"),  # rewritten: no mention left
])
def test_reference_prompts_get_a_placeholder(text, expected):
    assert with_placeholder(text) == expected


def test_cli_export_then_import(dataset, tmp_path, capsys):
    root, _ = dataset
    assert main(["export", str(root), "--format", "opengpt", "--out", str(tmp_path / "og")]) == 0
    assert "editing records: 4" in capsys.readouterr().out
    assert main(["import-opengpt", str(tmp_path / "og"), "--out", str(tmp_path / "back")]) == 0
    out = capsys.readouterr().out
    assert "generation items imported: 1" in out and "editing items imported: 3" in out
    # a second run into the same folder is refused with a one-line error, not a traceback
    assert main(["import-opengpt", str(tmp_path / "og"), "--out", str(tmp_path / "back")]) == 2
    assert "not empty" in capsys.readouterr().err
