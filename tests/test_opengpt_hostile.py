"""`ogi import-opengpt` on an untrusted folder (issue #11 item 1): paths out of the folder,
symlinks out, decompression bombs, huge sparse files, non-images named .png and control
characters in prompts are each refused or cleaned, and reported with their record's line."""
from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import pytest

from dataset_fixtures import png
from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.import_opengpt import import_opengpt
from ogi_toolkit.dataset.safe_files import clean_text, image_problem

SECRET = b"top secret, outside the import folder\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header claims width x height pixels (a few hundred bytes on disk)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b"")


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    """An import folder with one good image, and a folder beside it with a secret."""
    root, outside = tmp_path / "release", tmp_path / "outside"
    (root / "gen").mkdir(parents=True)
    outside.mkdir()
    (root / "gen" / "ok.png").write_bytes(png((10, 200, 30)))
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "secret.png").write_bytes(png((1, 2, 3)))
    return root, outside


def _import(root: Path, tmp_path: Path, rows: list[dict]):
    (root / "gen.json").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "imported"
    return import_opengpt(root, out), out


def _problems(report) -> dict[str, str]:
    return {p["where"]: p["problem"] for p in report.problems}


def _no_secret_in(out: Path) -> None:
    for file in out.rglob("*"):
        if file.is_file():
            assert SECRET not in file.read_bytes(), file
    assert not (out / "images" / "external").exists()


OK = {"input_prompt": "A green kite.", "output_image": "gen/ok.png"}


@pytest.mark.parametrize("path,expected", [
    ("/etc/passwd", "absolute"),
    ("../outside/secret.txt", "resolves outside the folder"),
    ("gen/../../outside/secret.txt", "resolves outside the folder"),
    ("gen/../../x", "resolves outside the folder"),
])
def test_paths_out_of_the_folder_are_refused_with_their_line(tmp_path, path, expected):
    root, _ = _folder(tmp_path)
    report, out = _import(root, tmp_path, [OK, {"input_prompt": "Steal it.", "output_image": path}])
    problem = _problems(report)["gen.json:2"]
    assert expected in problem and path in problem
    assert report.counts["generation items imported"] == 1
    _no_secret_in(out)


def test_a_symlink_pointing_out_of_the_folder_is_refused(tmp_path):
    root, outside = _folder(tmp_path)
    os.symlink(outside / "secret.png", root / "gen" / "link.png")
    os.symlink(outside, root / "gen" / "dir")  # a linked folder too
    rows = [OK, {"input_prompt": "A link.", "output_image": "gen/link.png"},
            {"input_prompt": "Through a folder link.", "output_image": "gen/dir/secret.png"}]
    report, out = _import(root, tmp_path, rows)
    problems = _problems(report)
    assert "resolves outside the folder" in problems["gen.json:2"]
    assert "resolves outside the folder" in problems["gen.json:3"]
    assert [r["id"] for r in read_manifest(out)] == ["og-gen-L1"]
    assert not any(p.read_bytes() == (outside / "secret.png").read_bytes() for p in out.rglob("*.png"))


def test_links_and_dotdot_that_stay_inside_are_accepted(tmp_path):
    root, _ = _folder(tmp_path)
    os.symlink(root / "gen" / "ok.png", root / "gen" / "alias.png")
    rows = [{"input_prompt": "Via a link.", "output_image": "gen/alias.png"},
            {"input_prompt": "Via dots.", "output_image": "gen/../gen/ok.png"}]
    report, out = _import(root, tmp_path, rows)
    assert report.problems == [] and report.counts["generation items imported"] == 2
    assert {r["output_image"] for r in read_manifest(out)} == {"images/gen/ok.png"}


def test_a_decompression_bomb_is_reported_per_record(tmp_path):
    root, _ = _folder(tmp_path)
    (root / "gen" / "bomb.png").write_bytes(bomb_png())
    report, out = _import(root, tmp_path, [OK, {"input_prompt": "Big.", "output_image": "gen/bomb.png"}])
    problem = _problems(report)["gen.json:2"]
    assert "900000000 pixels" in problem and f"over the {8192 * 8192}-pixel limit" in problem
    assert not (out / "images" / "gen" / "bomb.png").exists()


def test_the_pixel_limit_is_explicit(tmp_path):
    image = tmp_path / "x.png"
    image.write_bytes(png((1, 2, 3), size=64))
    assert image_problem(image) is None
    assert "over the 4095-pixel limit" in image_problem(image, max_pixels=4095)


def test_a_huge_sparse_file_is_refused_by_its_size(tmp_path):
    root, _ = _folder(tmp_path)
    with open(root / "gen" / "sparse.png", "wb") as f:
        f.truncate(2**30)  # 1 GiB on paper, nothing on disk
    report, out = _import(root, tmp_path, [OK, {"input_prompt": "Sparse.", "output_image": "gen/sparse.png"}])
    assert "1073741824 bytes, over the" in _problems(report)["gen.json:2"]
    assert not (out / "images" / "gen" / "sparse.png").exists()


@pytest.mark.parametrize("content,expected", [
    (b"root:x:0:0:root:/root:/bin/bash\n", "not an image file"),
    (png((5, 5, 5))[:-20], "broken image"),  # truncated
], ids=["text", "truncated-png"])
def test_files_named_png_that_are_not_whole_images_are_refused(tmp_path, content, expected):
    root, _ = _folder(tmp_path)
    (root / "gen" / "fake.png").write_bytes(content)
    report, out = _import(root, tmp_path, [OK, {"input_prompt": "Fake.", "output_image": "gen/fake.png"}])
    assert expected in _problems(report)["gen.json:2"]
    assert not (out / "images" / "gen" / "fake.png").exists()


def test_control_characters_in_prompts_are_removed_and_reported(tmp_path):
    root, _ = _folder(tmp_path)
    prompt = "Paint it \x1b[31mred\x07 now\x00 \u202egnp.exe\nsecond line"
    report, out = _import(root, tmp_path, [{"input_prompt": prompt, "output_image": "gen/ok.png"}])
    problem = report.problems[0]
    assert problem["where"] == "gen.json:1" and problem["action"] == "cleaned"
    for name in ("ESC", "BEL", "NUL", "RIGHT-TO-LEFT OVERRIDE"):
        assert name in problem["problem"]
    (record,) = read_manifest(out)
    assert record["instruction"] == "Paint it [31mred now gnp.exe\nsecond line"
    assert record["spec"]["instruction"] == record["instruction"]


def test_control_characters_in_the_meta_specs_are_removed_too(tmp_path):
    """An export of ours carries each item's spec in ogi_meta.jsonl; a re-import takes its
    instruction texts from there, so they are cleaned as the prompts are."""
    from dataset_fixtures import make_dataset
    from ogi_toolkit.dataset.export_opengpt import export_opengpt

    make_dataset(tmp_path / "data")
    released = tmp_path / "og"
    export_opengpt(tmp_path / "data", released)
    lines = [json.loads(line) for line in (released / "ogi_meta.jsonl").read_text().splitlines()]
    for row in lines:
        row["spec"]["instruction"] += "\x1b]0;pwned\x07"
        for turn in row["spec"].get("turns") or []:
            turn["instruction"] = "\u202e" + turn["instruction"]
    (released / "ogi_meta.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    report = import_opengpt(released, tmp_path / "back")
    cleaned = [p for p in report.problems if p["action"] == "cleaned"]
    assert len(cleaned) == len(lines) and all("ESC" in p["problem"] for p in cleaned)
    for record in read_manifest(tmp_path / "back"):
        texts = [record["instruction"], record["spec"]["instruction"],
                 *(t["instruction"] for t in record["spec"].get("turns") or [])]
        assert all(clean_text(t) == (t, []) for t in texts), texts
        assert record["spec"]["instruction"].endswith("]0;pwned")


def test_clean_text_leaves_ordinary_text_alone():
    text = "Write “Café 東京” in neon —\tthen a new line\n"
    assert clean_text(text) == (text, [])


def test_a_hostile_folder_imports_nothing_from_outside_and_reports_every_record(tmp_path, capsys):
    root, outside = _folder(tmp_path)
    (root / "editing").mkdir()
    (root / "editing" / "in.png").write_bytes(png((9, 9, 9)))
    (root / "editing" / "out.png").write_bytes(png((8, 8, 8)))
    (root / "gen" / "bomb.png").write_bytes(bomb_png())
    (root / "gen" / "text.png").write_bytes(b"not an image")
    with open(root / "gen" / "sparse.png", "wb") as f:
        f.truncate(2**30)
    os.symlink(outside / "secret.png", root / "gen" / "link.png")
    os.symlink(outside / "secret.png", root / "editing" / "link_in.png")
    gen = [OK,
           {"input_prompt": "a", "output_image": "/etc/passwd"},
           {"input_prompt": "b", "output_image": "../outside/secret.txt"},
           {"input_prompt": "c", "output_image": "gen/../../x"},
           {"input_prompt": "d", "output_image": "gen/link.png"},
           {"input_prompt": "e", "output_image": "gen/bomb.png"},
           {"input_prompt": "f", "output_image": "gen/sparse.png"},
           {"input_prompt": "g", "output_image": "gen/text.png"},
           {"input_prompt": "Beep\x07 \u202eboop", "output_image": "gen/ok.png"}]
    editing = [{"input_prompt": "Edit it.", "input_image": ["editing/in.png"], "output_image": "editing/out.png"},
               {"input_prompt": "Edit a secret.", "input_image": ["editing/link_in.png"], "output_image": "editing/out.png"},
               {"input_prompt": "Edit passwd.", "input_image": ["editing/in.png", "/etc/passwd"],
                "output_image": "editing/out.png"}]
    (root / "gen.json").write_text("".join(json.dumps(r) + "\n" for r in gen))
    (root / "editing.json").write_text(json.dumps(editing))  # a JSON array: records by index + 1
    out = tmp_path / "imported"
    assert main(["import-opengpt", str(root), "--out", str(out), "--show", "50"]) == 0
    printed = capsys.readouterr().out
    report = json.loads((out / "import_report.json").read_text())
    refused = {p["where"] for p in report["problems"] if p["action"] == "skipped"}
    assert refused == {f"gen.json:{n}" for n in range(2, 9)} | {"editing.json:2", "editing.json:3"}
    assert {p["where"] for p in report["problems"] if p["action"] == "cleaned"} == {"gen.json:9"}
    for where in refused:
        assert where in printed
    ids = sorted(r["id"] for r in read_manifest(out))
    assert ids == ["og-edit-L1", "og-gen-L1", "og-gen-L9"]
    _no_secret_in(out)
    assert sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) < 2**20  # nothing big came along


def test_cli_limits_can_be_set(tmp_path, capsys):
    root, _ = _folder(tmp_path)
    (root / "gen" / "big.png").write_bytes(png((3, 3, 3), size=64))
    (root / "gen.json").write_text(json.dumps({"input_prompt": "Big.", "output_image": "gen/big.png"}) + "\n")
    assert main(["import-opengpt", str(root), "--out", str(tmp_path / "a"), "--max-pixels", "1000"]) == 1
    assert "over the 1000-pixel limit" in capsys.readouterr().out
    assert main(["import-opengpt", str(root), "--out", str(tmp_path / "b"), "--max-image-mb", "0.00001"]) == 1
    assert "over the 10-byte limit" in capsys.readouterr().out
