"""Reading a generated dataset: last line per id wins, torn lines skipped, spec fields flattened."""
from __future__ import annotations

import json

import pytest

from generate_fixtures import local_server, mixed_plan

from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.generate import run_plan


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("dataset")
    with local_server() as server:
        run_plan(mixed_plan(), out, backend="openai", backend_options={"base_url": server.url}, progress=False)
    return out


def test_load_dataset_flattens_the_spec_and_gives_absolute_image_paths(dataset):
    frame = load_dataset(dataset)
    assert len(frame) == 5 and set(frame["status"]) == {"done"}
    for column in ("id", "kind", "domain", "subtask", "template_id", "difficulty", "instruction",
                   "original_instruction", "input_images", "output_image", "turn_images", "cost_usd", "spec"):
        assert column in frame
    row = frame.set_index("id").loc["ref-0"]
    assert (row["kind"], row["subtask"]) == ("editing", "reference_image")
    assert len(row["input_images"]) == 2 and all(p.startswith(str(dataset.resolve())) for p in row["input_images"])
    assert open(row["output_image"], "rb").read(4) == b"\x89PNG"
    assert len(frame.set_index("id").loc["multi-0"]["turn_images"]) == 2


def test_the_last_line_per_id_wins_and_a_torn_line_is_skipped(dataset, tmp_path):
    manifest = tmp_path / "manifest.jsonl"
    lines = (dataset / "manifest.jsonl").read_text().splitlines()
    later = json.loads(lines[0]) | {"status": "error", "output_image": None}
    manifest.write_text("\n".join(lines) + "\n" + json.dumps(later) + "\n" + '{"id": "torn", "sta')
    records = {r["id"]: r for r in read_manifest(manifest)}
    assert records[later["id"]]["status"] == "error" and "torn" not in records and len(records) == 5
    assert len(load_dataset(manifest, status="done")) == 4


def test_a_folder_without_manifest_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no manifest at .*manifest.jsonl"):
        load_dataset(tmp_path)
