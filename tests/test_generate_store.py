"""The result store trusts only whole images and cleans up after kills (#11 item 6)."""
from __future__ import annotations

import hashlib
import json

from generate_fixtures import generation, manifest_lines, single_edit

from ogi_toolkit.generate import run_plan
from ogi_toolkit.folder import CALLS_NAME
from ogi_toolkit.calls.store import ResultStore


def _whole(path) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == path.stem


def test_a_truncated_stored_image_is_made_again_on_resume(tmp_path):
    plan = [generation(i) for i in range(4)] + [single_edit(0)]
    run_plan(plan, tmp_path, progress=False)
    by_id = {line["id"]: line for line in manifest_lines(tmp_path)}
    cut = tmp_path / by_id["gen-2"]["output_image"]
    source = tmp_path / by_id["edit-0"]["input_images"][0]
    cut.write_bytes(cut.read_bytes()[:100])  # a done item's output, cut short
    source.write_bytes(b"\x00" * source.stat().st_size)  # same size, garbage bytes

    again = run_plan(plan, tmp_path, progress=False)

    assert again.broken_results == 2 and again.requests_sent == 2 and again.done == 5
    assert "2 broken stored results made again" in str(again)
    assert _whole(cut) and _whole(source)
    for line in manifest_lines(tmp_path):
        for rel in [line["output_image"], *line["input_images"]]:
            assert _whole(tmp_path / rel)


def test_orphan_temporary_files_of_a_killed_write_are_removed_on_the_next_run(tmp_path):
    run_plan([generation(0)], tmp_path, progress=False)
    image_dir = next((tmp_path / "images").iterdir())
    orphan = image_dir / ".tmp-0123abcd-deadbeef.png"
    orphan.write_bytes(b"\x89PNG half")
    again = run_plan([generation(0)], tmp_path, progress=False)
    assert not orphan.exists() and again.orphans_removed == 1


def test_a_call_line_cannot_point_outside_the_run_folder(tmp_path):
    run_plan([generation(0)], tmp_path, progress=False)
    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(b"not ours")
    lines = [json.loads(raw) for raw in (tmp_path / CALLS_NAME).read_text().splitlines()]
    lines[0]["image"] = "../outside.png"
    (tmp_path / CALLS_NAME).write_text("".join(json.dumps(line) + "\n" for line in lines))
    record = ResultStore(tmp_path).get(lines[0]["key"])
    assert record["image"].startswith("images/") and _whole(tmp_path / record["image"])
