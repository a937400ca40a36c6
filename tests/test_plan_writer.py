"""Plans are written only through the planner's writers: write_specs (specs drawn elsewhere)
gives the same file write_plan does for the same plan, and refuses a folder."""
import pytest

from ogi_toolkit.planning import plan, write_plan, write_specs


def test_write_specs_writes_the_file_write_plan_writes(tmp_path):
    counts = {"remove": 3, "relative_position": 2}
    write_plan(tmp_path / "drawn.jsonl", counts=counts, seed=4)
    write_specs(tmp_path / "given.jsonl", plan(counts=counts, seed=4))
    assert (tmp_path / "given.jsonl").read_bytes() == (tmp_path / "drawn.jsonl").read_bytes()
    with pytest.raises(ValueError, match="is a folder; expected a plan file name"):
        write_specs(tmp_path, [])
