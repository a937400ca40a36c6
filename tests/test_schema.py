"""One DataFrame schema for items from a plan, a dataset and the analysis loaders (#12 seams)."""
from __future__ import annotations

from generate_fixtures import mixed_plan, write_plan

from ogi_toolkit.analysis import load_manifest, load_plan
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.generate import run_plan
from ogi_toolkit.planning import to_frame
from ogi_toolkit.schema import COLUMNS


def test_plan_dataset_and_analysis_frames_share_the_schema(tmp_path):
    specs = mixed_plan()
    run_plan(specs, tmp_path / "data", progress=False)
    frames = {"to_frame": to_frame(specs), "load_plan": load_plan(write_plan(tmp_path / "plan.jsonl", specs)),
              "load_dataset": load_dataset(tmp_path / "data"), "load_manifest": load_manifest(tmp_path / "data")}
    for name, frame in frames.items():
        assert tuple(frame.columns[:len(COLUMNS)]) == COLUMNS, name
        by_id = frame.set_index("id")  # a dataset lists items in the order they finished
        assert [by_id.loc[s.id, "text"] for s in specs] == [s.instruction for s in specs], name
        assert [by_id.loc[s.id, "subtask"] for s in specs] == [s.subtask for s in specs], name
    assert set(frames["to_frame"]["status"]) == set(frames["load_plan"]["status"]) == {"planned"}
    assert frames["to_frame"]["image_path"].isna().all()
    data, manifest = (frames[name].sort_values("id") for name in ("load_dataset", "load_manifest"))
    assert set(data["status"]) == {"done"} and list(data["image_path"]) == list(manifest["image_path"])
    assert list(data["input_images"]) == list(manifest["input_images"])
    assert all(open(p, "rb").read(4) == b"\x89PNG" for p in data["image_path"])
    # earlier names kept as copies for the notebooks and widgets that read them
    assert list(data["instruction"]) == list(data["text"]) and list(data["output_image"]) == list(data["image_path"])
    assert list(frames["to_frame"]["instruction"]) == list(frames["to_frame"]["text"])
