"""Hugging Face export: the dataset loads back with `datasets` and its images open."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from dataset_fixtures import make_dataset
from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.export_hf import export_hf

datasets = pytest.importorskip("datasets")


def _same_pixels(image: Image.Image, png: bytes) -> bool:
    with Image.open(io.BytesIO(png)) as expected:
        return image.convert("RGB").tobytes() == expected.convert("RGB").tobytes()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    images = make_dataset(root)
    out = tmp_path_factory.mktemp("hf") / "disk"
    report = export_hf(root, out, layout="disk")
    return root, images, out, report


def test_save_to_disk_loads_back_with_every_finished_item(exported):
    root, images, out, report = exported
    ds = datasets.load_from_disk(str(out))
    assert sorted(ds["id"]) == ["edit-1", "gen-1", "ref-1", "turn-1"]  # the failed item is left out
    assert report.counts["rows written"] == 4 and report.counts["items error"] == 1
    original = {r["id"]: r for r in read_manifest(root)}
    for row in ds:
        record = original[row["id"]]
        assert json.loads(row["spec"]) == record["spec"]
        assert (row["kind"], row["domain"], row["subtask"]) == tuple(record["spec"][k] for k in ("kind", "domain", "subtask"))
        assert row["difficulty"] == 1 and row["seed"] == 7
        assert row["instruction"] == record["instruction"]
        assert isinstance(row["output_image"], Image.Image)
        assert _same_pixels(row["output_image"], images[record["output_image"]])
        assert len(row["input_images"]) == len(record["input_images"])
        for image, rel in zip(row["input_images"], record["input_images"]):
            assert _same_pixels(image, images[rel])


def test_multi_turn_is_a_sequence_of_instructions_and_images(exported):
    root, images, out, _ = exported
    ds = datasets.load_from_disk(str(out))
    row = ds[ds["id"].index("turn-1")]
    assert row["turn_instructions"] == ["Remove the cup.", "Make the background a beach."]
    assert [_same_pixels(i, images[p]) for i, p in zip(row["turn_images"], ["images/tu/turn0.png", "images/tu/turn1.png"])] == [True, True]
    single = ds[ds["id"].index("edit-1")]
    assert single["turn_images"] == [] and single["turn_instructions"] == []


def test_parquet_layout_loads_with_load_dataset(tmp_path):
    root = tmp_path / "data"
    images = make_dataset(root)
    out = tmp_path / "parquet"
    export_hf(root, out, layout="parquet")
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]
    ds = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert len(ds) == 4
    gen = ds[ds["id"].index("gen-1")]
    assert _same_pixels(gen["output_image"], images["images/ge/gen.png"])
    assert not list(tmp_path.glob(".parquet.*"))  # private cache and staging folder removed


def test_a_second_export_to_a_folder_of_the_same_name_is_not_read_from_a_stale_cache(tmp_path):
    # datasets keys its cache by a card's `configs:` patterns, not by the files they match
    full, part = tmp_path / "full", tmp_path / "part"
    make_dataset(full)
    make_dataset(part)
    lines = (part / "manifest.jsonl").read_text().splitlines(keepends=True)
    (part / "manifest.jsonl").write_text("".join(line for line in lines if '"gen-1"' not in line))
    export_hf(part, tmp_path / "a" / "same-name")
    export_hf(full, tmp_path / "b" / "same-name")
    cache = str(tmp_path / "cache")
    first = datasets.load_dataset(str(tmp_path / "a" / "same-name"), split="train", cache_dir=cache)
    second = datasets.load_dataset(str(tmp_path / "b" / "same-name"), split="train", cache_dir=cache)
    assert "gen-1" not in first["id"] and "gen-1" in second["id"]


def test_missing_images_are_reported_not_exported(tmp_path):
    root = tmp_path / "data"
    make_dataset(root)
    (root / "images/re/ref.png").unlink()
    report = export_hf(root, tmp_path / "hf", layout="disk")
    assert report.problems == [{"where": "id ref-1", "problem": "image file missing: images/re/ref.png", "action": "skipped"}]
    assert sorted(datasets.load_from_disk(str(tmp_path / "hf"))["id"]) == ["edit-1", "gen-1", "turn-1"]


def test_bad_layout_and_empty_dataset_fail_clearly(tmp_path):
    with pytest.raises(ValueError, match="unknown Hugging Face layout 'zip'"):
        export_hf(tmp_path, tmp_path / "out", layout="zip")
    with pytest.raises(FileNotFoundError, match="no manifest"):
        export_hf(tmp_path / "nothing", tmp_path / "out")


def test_cli_export_hf(tmp_path, capsys):
    root = tmp_path / "data"
    make_dataset(root)
    assert main(["export", str(root), "--format", "hf", "--hf-layout", "disk", "--out", str(tmp_path / "hf")]) == 0
    assert "rows written: 4" in capsys.readouterr().out
    assert len(datasets.load_from_disk(str(tmp_path / "hf"))) == 4
