"""Trainer layouts (#16 part 3), each read back by what the trainer reads it with: the
InstructPix2Pix export by Hugging Face `datasets`, the control-image and image + caption
folders by file name (and `datasets`' imagefolder for the captions), with images that open."""
from __future__ import annotations

import json
from pathlib import Path

import datasets
import numpy as np
import pytest
from PIL import Image

from curation_fixtures import copy_dataset, make_sketch_dataset
from ogi_toolkit.cli import main
from ogi_toolkit.curation import make_subsets
from ogi_toolkit.dataset.export_folders import export_control_folder, export_image_caption
from ogi_toolkit.dataset.export_pix2pix import export_pix2pix
from ogi_toolkit.dataset.standalone_turns import standalone_turn_prompts
from ogi_toolkit.folder import ManifestWriter, read_manifest


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_sketch_dataset(tmp_path_factory.mktemp("trainers") / "run1")


@pytest.fixture(scope="module")
def kinds(data):
    records = read_manifest(data)
    by = {"generation": [], "single": [], "reference": [], "turns": []}
    for r in records:
        spec = r["spec"]
        key = ("generation" if spec["kind"] == "generation" else "turns" if r["turn_images"]
               else "reference" if len(r["input_images"]) > 1 else "single")
        by[key].append(r)
    assert all(by.values()), {k: len(v) for k, v in by.items()}
    return by


def _pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def _same_image(pil_image, path: Path) -> bool:
    with Image.open(path) as expected:
        return np.array_equal(_pixels(pil_image), _pixels(expected))


def test_pix2pix_parquet_is_read_by_datasets_with_one_row_per_edit_and_turn(data, kinds, tmp_path):
    out = tmp_path / "pix2pix"
    report = export_pix2pix(data, out)
    ds = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert {"input_image", "edit_prompt", "edited_image"} <= set(ds.column_names)
    turns = sum(len(r["turn_images"]) for r in kinds["turns"])
    assert len(ds) == len(kinds["single"]) + turns
    assert report.counts["left out: reference edits (two input images; InstructPix2Pix takes one)"] == len(kinds["reference"])
    assert report.counts["left out: generation items (no input image)"] == len(kinds["generation"])
    rows = {(row["id"], row["turn"]): row for row in ds}
    single = kinds["single"][0]
    row = rows[(single["id"], None)]
    assert row["edit_prompt"] == single["instruction"]
    assert isinstance(row["input_image"], Image.Image)
    assert _same_image(row["input_image"], data / single["input_images"][0])
    assert _same_image(row["edited_image"], data / single["output_image"])
    chain = kinds["turns"][0]
    first, second = rows[(chain["id"], 0)], rows[(chain["id"], 1)]
    assert first["edit_prompt"] == chain["spec"]["turns"][0]["instruction"]
    assert _same_image(first["input_image"], data / chain["input_images"][0])
    assert _same_image(second["input_image"], data / chain["turn_images"][0])  # turn 1 edits turn 0's output
    assert _same_image(second["edited_image"], data / chain["turn_images"][1])
    readme = (out / "README.md").read_text()
    assert f"rows: {len(ds)}" in readme and "--format pix2pix" in readme and "train_instruct_pix2pix" in readme


def test_a_second_pix2pix_export_to_a_folder_of_the_same_name_is_not_read_from_a_stale_cache(data, tmp_path):
    first, second = tmp_path / "a" / "same-name", tmp_path / "b" / "same-name"
    subset_of = make_subsets(data, "15", tmp_path / "subsets", target="dataset", seed=9)
    export_pix2pix(tmp_path / "subsets" / "15", first)
    export_pix2pix(data, second)
    ids_first = set(datasets.load_dataset(str(first), split="train", cache_dir=str(tmp_path / "hf-cache"))["id"])
    ids_second = set(datasets.load_dataset(str(second), split="train", cache_dir=str(tmp_path / "hf-cache"))["id"])
    assert ids_first < ids_second and ids_first <= set(subset_of.ids["15"])


def test_pix2pix_chains_and_save_to_disk(data, kinds, tmp_path):
    out = tmp_path / "p2p-disk"
    export_pix2pix(data, out, multi_turn="chain", layout="disk")
    ds = datasets.load_from_disk(str(out))
    assert len(ds) == len(kinds["single"]) + len(kinds["turns"])
    chain = kinds["turns"][0]
    (row,) = [r for r in ds if r["id"] == chain["id"]]
    assert row["edit_prompt"] == chain["instruction"] and row["turn"] is None
    assert row["turn_prompts"] == [t["instruction"] for t in chain["spec"]["turns"]]
    assert _same_image(row["input_image"], data / chain["input_images"][0])
    assert _same_image(row["edited_image"], data / chain["output_image"])
    assert len(row["turn_images"]) == 2 and _same_image(row["turn_images"][0], data / chain["turn_images"][0])


def test_control_folder_pairs_each_target_with_same_stem_controls_and_a_caption(data, kinds, tmp_path):
    out = tmp_path / "lora"
    export_control_folder(data, out)
    targets = sorted((out / "images").glob("*.png"))
    turns = sum(len(r["turn_images"]) for r in kinds["turns"])
    assert len(targets) == len(kinds["single"]) + len(kinds["reference"]) + turns
    for target in targets:  # what a trainer does: list the images, find caption and controls by stem
        assert target.with_suffix(".txt").read_text().strip()
        control = out / "control" / target.name
        with Image.open(target) as a, Image.open(control) as b:
            a.verify()
            b.verify()
    ref = kinds["reference"][0]
    stem = ref["id"]
    assert (out / "images" / f"{stem}.txt").read_text() == " ".join(ref["instruction"].split()) + "\n"
    assert (out / "control" / f"{stem}.png").read_bytes() == (data / ref["input_images"][0]).read_bytes()
    assert (out / "control_2" / f"{stem}.png").read_bytes() == (data / ref["input_images"][1]).read_bytes()
    assert len(list((out / "control_2").glob("*.png"))) == len(kinds["reference"])
    chain = kinds["turns"][0]
    assert (out / "control" / f"{chain['id']}-t1.png").read_bytes() == (data / chain["turn_images"][0]).read_bytes()
    # a later turn's caption stands on its own (#27 item 9): no "Now ...", no "the cup you added"
    assert (out / "images" / f"{chain['id']}-t1.txt").read_text().strip() == standalone_turn_prompts(chain["spec"])[1]
    index = [json.loads(line) for line in (out / "examples.jsonl").read_text().splitlines()]
    assert {row["stem"] for row in index} == {t.stem for t in targets}
    assert "with 2 control image(s): " + str(len(kinds["reference"])) in (out / "README.md").read_text()


def test_control_folder_keeps_chains_whole_when_asked(data, kinds, tmp_path):
    out = tmp_path / "lora-chains"
    export_control_folder(data, out, multi_turn="chain")
    chain = kinds["turns"][0]
    assert not (out / "images" / f"{chain['id']}-t0.png").exists()
    assert (out / "images" / f"{chain['id']}.png").read_bytes() == (data / chain["output_image"]).read_bytes()
    assert (out / "control" / f"{chain['id']}.png").read_bytes() == (data / chain["input_images"][0]).read_bytes()


def test_image_caption_folder_is_read_by_datasets_imagefolder(data, kinds, tmp_path):
    out = tmp_path / "t2i"
    export_image_caption(data, out)
    ds = datasets.load_dataset("imagefolder", data_dir=str(out), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert len(ds) == len(kinds["generation"])
    texts = {r["instruction"] for r in kinds["generation"]}
    assert set(ds["text"]) == texts
    for row in ds:
        assert isinstance(row["image"], Image.Image) and row["image"].size == (64, 64)
    for image in (out / "images").glob("*.png"):
        assert image.with_suffix(".txt").read_text().strip() in {" ".join(t.split()) for t in texts}


def test_exports_of_a_subset_read_the_parents_images_and_refuse_unsafe_paths(data, tmp_path, capsys):
    make_subsets(data, "30", tmp_path / "subsets", target="dataset")
    assert main(["export", str(tmp_path / "subsets" / "30"), "--format", "pix2pix", "--out", str(tmp_path / "p")]) == 0
    assert len(datasets.load_dataset(str(tmp_path / "p"), split="train", cache_dir=str(tmp_path / "hf-cache"))) > 0
    assert "ogi subset" in (tmp_path / "p" / "README.md").read_text()  # how the source was chosen
    root = copy_dataset(data, tmp_path / "run")
    record = next(r for r in read_manifest(root) if r["spec"]["kind"] == "editing" and not r["turn_images"])
    (tmp_path / "secret.png").write_bytes((root / record["output_image"]).read_bytes())
    with ManifestWriter(root / "manifest.jsonl") as writer:
        writer.append({**record, "id": "escape", "output_image": "../secret.png"})
    assert main(["export", str(root), "--format", "control-folder", "--out", str(tmp_path / "c")]) == 0
    assert "id escape: path '../secret.png'" in capsys.readouterr().out
    assert not list((tmp_path / "c").rglob("escape*"))
