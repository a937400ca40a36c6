"""Difficulty calibration: offline end to end (sketch vs the sketch-ablated baseline), the
statistics against hand-computed cases, and the OpenAI path through the real SDK against the
local server (two model names, a second run bills nothing)."""
import json
import urllib.request

import pytest
from generate_fixtures import local_server
from PIL import Image

from ogi_toolkit.calibration import calibrate, cell_table, parse_side, wilson
from ogi_toolkit.cli import main
from ogi_toolkit.planning import plan
from ogi_toolkit.spec import InstructionSpec

SUBTASKS = ["artistic_traditions", "multilingual_support", "containment", "object_counting"]


def test_wilson_matches_hand_computed_intervals():
    assert wilson(0, 2) == pytest.approx((0.0, 0.6576), abs=1e-4)
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(3, 3) == pytest.approx((0.4385, 1.0), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_cells_pair_items_and_count_the_sweet_spot():
    specs = [InstructionSpec(id=f"i{k}", kind="generation", domain="d", subtask="s", template_id="t", difficulty=1 + k % 2,
                             seed=k, instruction="x") for k in range(6)]
    strong = {"i0": True, "i1": True, "i2": True, "i3": False, "i4": True, "i5": True}
    weak = {"i0": False, "i1": True, "i2": True, "i3": False, "i4": False}  # i5 has no weak verdict
    grade1, grade2 = cell_table(specs, strong, weak)
    assert (grade1["n"], grade1["strong_pass"], grade1["weak_pass"], grade1["sweet_spot"]) == (3, 1.0, 1 / 3, 2 / 3)
    assert grade1["in_sweet_spot"] and grade1["planned"] == 3
    assert (grade2["planned"], grade2["n"], grade2["sweet_spot"]) == (3, 2, 0.0) and not grade2["in_sweet_spot"]


def test_sides_parse_and_refuse_clearly():
    side = parse_side("openai:gpt-image-1-mini", "http://127.0.0.1:1/v1")
    assert (side.backend, side.options) == ("openai", {"image_model": "gpt-image-1-mini", "base_url": "http://127.0.0.1:1/v1"})
    with pytest.raises(ValueError, match="--weak 'dalle': expected a backend"):
        parse_side("dalle", what="--weak")
    with pytest.raises(ValueError, match="only the openai backend takes a model"):
        parse_side("sketch:big")


def _ablation_shows(spec: InstructionSpec) -> bool:
    """Whether the spec needs something the baseline lacks, in a way the *pixel* checks see: a
    text in a script the checks read (the baseline leaves non-Latin texts out). The baseline's
    other gaps (a third object dropped, counts capped, relations ignored) show in no pixel
    statistic: they are the judge's to find, and give no sweet spot offline."""
    from ogi_toolkit.quality import load_checks_config

    report_only = load_checks_config().section("text").report_only_scripts
    return any(t.script != "Latn" and t.script not in report_only for t in spec.scene.texts)


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    out = tmp_path_factory.mktemp("calib")
    return out, calibrate("sketch", "sketch-ablated", out=out, per_cell=2, seed=0, subtasks=SUBTASKS, size="512x512")


def test_offline_calibration_finds_the_cells_the_ablation_removes(offline):
    out, result = offline
    specs = [InstructionSpec.model_validate_json(line) for line in (out / "plan.jsonl").read_text().splitlines()]
    assert len(specs) == 2 * 3 * len(SUBTASKS)
    for cell in result.cells:
        items = [s for s in specs if (s.subtask, s.difficulty) == (cell["subtask"], cell["difficulty"])]
        assert cell["n"] == 2 and cell["strong_pass"] == 1.0, cell
        assert cell["sweet_spot"] == sum(map(_ablation_shows, items)) / 2, cell
    sweet = set(result.sweet_spot_cells())
    assert sweet and {c[0] for c in sweet} == {"multilingual_support"}  # verdicts from pixels, never a record
    document_cells = json.loads(result.path.read_text())["cells"]
    assert all(c["verdict_sources"] == ["pixel_checks"] for c in document_cells)
    document = json.loads(result.path.read_text())
    assert document["weak"]["identity"]["renderer"].startswith("sketch-ablated (a baseline with known gaps")
    assert document["strong"]["backend"] == "sketch"
    assert {"subtask", "difficulty", "n", "strong_pass", "weak_pass", "sweet_spot"} <= set(document["cells"][0])
    with Image.open(result.heatmap) as img:
        assert img.size[0] > 400 and img.size[1] > 300
    header = result.table.read_text().splitlines()[0]
    assert header.startswith("subtask,difficulty,planned,n,strong_pass,strong_lo,strong_hi,weak_pass")
    assert result.frame().loc[0, "sweet_spot_hi"] == pytest.approx(wilson(
        round(result.cells[0]["sweet_spot"] * 2), 2)[1], abs=1e-4)


def test_a_second_offline_run_sends_nothing(offline):
    out, first = offline
    again = calibrate("sketch", "sketch-ablated", out=out, per_cell=2, seed=0, subtasks=SUBTASKS, size="512x512")
    assert again.runs["strong"]["requests_sent"] == again.runs["weak"]["requests_sent"] == 0
    assert again.cells == first.cells


def test_a_plan_made_with_the_calibration_follows_its_sweet_spot(offline):
    _, result = offline
    shaped = plan(counts={"multilingual_support": 90, "artistic_traditions": 30}, seed=1, calibration=result.path)
    cells = {c["difficulty"]: c["sweet_spot"] for c in result.cells if c["subtask"] == "multilingual_support"}
    counting = [s for s in shaped if s.subtask == "multilingual_support"]
    share = {g: sum(s.difficulty == g for s in counting) / 90 for g in cells}
    assert share == pytest.approx({g: v / sum(cells.values()) for g, v in cells.items()}, abs=0.012)
    assert counting[0].calibration["sweet_spot"] == {str(g): v for g, v in cells.items()}


def _billed(server) -> int:
    with urllib.request.urlopen(server.url.removesuffix("/v1") + "/stats") as response:
        return json.loads(response.read())["billed"]


def test_two_models_through_the_sdk_and_a_second_run_bills_nothing(tmp_path, capsys):
    out = tmp_path / "calib"
    with local_server() as server:
        argv = ["calibrate", "--strong", "openai:gpt-image-1", "--weak", "openai:gpt-image-1-mini",
                "--strong-base-url", server.url, "--weak-base-url", server.url, "--judge-model", "gpt-4o-mini",
                "--judge-base-url", server.url, "--per-cell", "1", "--subtasks", "object_counting,text_add",
                "--out", str(out), "--no-progress"]
        assert main(argv) == 0
        billed = _billed(server)
        # per side: 3 generations + 3 (input, edit) pairs of text_add + 6 judgments
        assert billed == 2 * (3 + 6 + 6)
        assert main(argv) == 0
        assert _billed(server) == billed
    document = json.loads((out / "calibration.json").read_text())
    assert (document["strong"]["identity"]["model"], document["weak"]["identity"]["model"]) == (
        "gpt-image-1", "gpt-image-1-mini")
    assert document["judge"] == "gpt-4o-mini" and len(document["cells"]) == 6
    assert all(c["n"] == 1 for c in document["cells"])
    assert "sweet_spot" in capsys.readouterr().out
