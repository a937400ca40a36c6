"""The offline checks on a real sketch dataset: OCR reads what the renderer drew, planted
faults are caught by the check meant for them, untouched items pass, reruns are cheap."""
import json
import shutil
from collections import Counter

import pytest

from ogi_toolkit.quality import check, load_checks_config, ocr_rates
from ogi_toolkit.folder import CHECKS_NAME
from ogi_toolkit.quality.checks.faults import plant_faults
from ogi_toolkit.quality.checks.ocr import distance, substring_distance
from quality_fixtures import make_sketch_dataset

needs_tesseract = pytest.mark.system("tesseract")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = make_sketch_dataset(tmp_path_factory.mktemp("sketch") / "data")
    run = check(root, workers=2)
    return root, {line["id"]: line for line in run.lines}


@pytest.fixture(scope="module")
def faulty(clean, tmp_path_factory):
    root, _ = clean
    dst = tmp_path_factory.mktemp("faults") / "data"
    planted = plant_faults(root, dst)
    run = check(dst, workers=2)
    return planted, {line["id"]: line for line in run.lines}


def failed(line, name=None):
    return {c["name"] for c in line["checks"] if c["passed"] is False and (name is None or c["name"] == name)}


def test_distance_ignores_whitespace_and_finds_substrings():
    assert distance("Get Well Soon", "Get Well\nSoon") == 0.0
    assert distance("Soon", "Sooo") == 0.25
    assert substring_distance("Tirez", "[Ti rez\n") == 0.0
    assert substring_distance("Exit", "nothing like it") > 0.3


@needs_tesseract
def test_ocr_reads_latin_texts_exactly(clean):
    _, lines = clean
    rates = ocr_rates(list(lines.values()))
    assert rates["Latn"]["texts"] >= 10
    assert rates["Latn"]["exact_rate"] >= 0.95, rates


@needs_tesseract
def test_swapped_text_outputs_are_flagged_by_ocr(faulty):
    planted, lines = faulty
    flagged = [i for i in planted["swapped"] if "text.present" in failed(lines[i])]
    assert len(planted["swapped"]) == 10 and len(flagged) >= 9


def test_blank_output_is_flagged_as_flat(faulty):
    planted, lines = faulty
    assert "technical.not_flat" in failed(lines[planted["blank"][0]])


def test_output_identical_to_input_is_flagged(faulty):
    planted, lines = faulty
    line = lines[planted["identical"][0]]
    assert {"technical.differs_from_input", "preservation.changed_share"} <= failed(line)
    assert next(c for c in line["checks"] if c["name"] == "preservation.changed_share")["reason"] == "no visible change"


def test_unrelated_output_is_flagged_by_preservation(faulty):
    planted, lines = faulty
    line = lines[planted["unrelated"][0]]
    assert "preservation.ssim_outside_edit" in failed(line)
    ssim = next(c for c in line["checks"] if c["name"] == "preservation.ssim_outside_edit")
    assert ssim["basis"] == "layout" and ssim["value"] < ssim["threshold"]


def test_untouched_items_pass(clean, faulty):
    planted, lines = faulty
    touched = {i for ids in planted.values() for i in ids}
    untouched = [line for i, line in lines.items() if i not in touched]
    # the unrelated picture is another item's output: that item is now rightly a duplicate
    flagged = [line["id"] for line in untouched if failed(line) - {"technical.duplicate_output"}]
    assert len(flagged) < 0.05 * len(untouched), flagged
    clean_flagged = [i for i, line in clean[1].items() if not line["passed"]]
    assert len(clean_flagged) < 0.05 * len(clean[1]), clean_flagged


def test_every_item_has_one_line_in_the_contract_shape(clean):
    root, lines = clean
    written = [json.loads(l) for l in (root / CHECKS_NAME).read_text().splitlines()]
    assert len(written) == len({l["id"] for l in written}) == len(lines)
    for line in written:
        assert isinstance(line["passed"], bool) and line["checks"]
        for c in line["checks"]:
            assert {"name", "value", "threshold", "passed"} <= set(c)
            assert c["passed"] is not None or c["reason"]
        assert line["layout_record"] is True  # the sketch renderer records its boxes


def test_each_turn_is_checked_against_the_one_before(clean):
    _, lines = clean
    turns = next(l for i, l in lines.items() if i.startswith("two_turns"))
    steps = {c.get("step") for c in turns["checks"] if c["name"] == "preservation.changed_share"}
    assert steps == {"turn:0", "turn:1"}


def test_text_edits_check_new_present_and_old_gone(clean):
    _, lines = clean
    replace = next(l for i, l in lines.items() if i.startswith("text_replace"))
    names = Counter(c["name"] for c in replace["checks"] if c["name"].startswith("text."))
    assert names["text.present"] >= 1 and names["text.gone"] >= 1
    remove = next(l for i, l in lines.items() if i.startswith("text_remove"))
    assert any(c["name"] == "text.gone" for c in remove["checks"])


def test_rerun_reuses_results_and_rechecks_what_changed(clean, tmp_path):
    root, _ = clean
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    assert check(copy, workers=1).checked == 0
    record = json.loads((copy / "manifest.jsonl").read_text().splitlines()[0])
    other = next(json.loads(l) for l in (copy / "manifest.jsonl").read_text().splitlines()
                 if json.loads(l)["output_image"] != record["output_image"])
    with open(copy / "manifest.jsonl", "a") as f:  # one item gets another picture
        f.write(json.dumps({**record, "output_image": other["output_image"]}) + "\n")
    assert check(copy, workers=1).checked == 1
    cfg = load_checks_config()
    stricter = cfg.replace("technical", min_grey_std=5.0)
    assert check(copy, config=stricter, workers=1).checked == len(clean[1])


def test_a_script_without_a_language_pack_is_unreadable_not_failed(clean, tmp_path):
    root, _ = clean
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    cfg = load_checks_config()
    no_packs = cfg.replace("text", languages={}, scripts={"Latn": "no_such_pack"})
    run = check(copy, config=no_packs, workers=1)
    texts = [c for line in run.lines for c in line["checks"] if c["name"].startswith("text.")]
    assert texts and all(c["passed"] is None and c["reason"].startswith("text not checked: ") for c in texts)


def test_bad_config_names_the_key(tmp_path):
    bad = tmp_path / "checks.yaml"
    bad.write_text("text:\n  max_distance: 3\n")
    with pytest.raises(ValueError, match=r"checks.yaml: text.max_distance"):
        load_checks_config(bad)
    bad.write_text("txt:\n  max_distance: 0.1\n")
    with pytest.raises(ValueError, match=r"checks.yaml: unknown section txt; expected sections from technical, "):
        load_checks_config(bad)


def test_a_config_file_replaces_only_the_values_it_gives(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("text: {max_distance: 0.1}\n")
    cfg, default = load_checks_config(mine), load_checks_config()
    assert cfg.section("text").max_distance == 0.1
    assert cfg.section("text").languages == default.section("text").languages
    assert cfg.section("technical") == default.section("technical") and cfg.fingerprint() != default.fingerprint()


def test_an_image_path_leaving_the_folder_is_refused(clean, tmp_path):
    root, _ = clean
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    record = json.loads((copy / "manifest.jsonl").read_text().splitlines()[0])
    record["output_image"] = "../../etc/passwd"
    with open(copy / "manifest.jsonl", "a") as f:
        f.write(json.dumps(record) + "\n")
    with pytest.raises(ValueError, match="leaves the dataset folder"):
        check(copy, workers=1)


def test_a_dataset_without_layout_records_is_checked_on_whole_images(tmp_path):
    from dataset_fixtures import make_dataset

    make_dataset(tmp_path)  # flat 32x32 pictures, no calls.jsonl: what a real image model leaves
    lines = {line["id"]: line for line in check(tmp_path, workers=1).lines}
    assert set(lines) == {"gen-1", "edit-1", "ref-1", "turn-1"}  # the failed item has no line
    assert not any(line["layout_record"] for line in lines.values())
    edit = {c["name"]: c for c in lines["edit-1"]["checks"]}
    assert edit["preservation.ssim_whole"]["basis"] == "whole image"
    assert "preservation.ssim_outside_edit" not in edit and "layout.object_count" not in edit
    assert edit["technical.size"]["passed"] is True
    turns = [c["step"] for c in lines["turn-1"]["checks"] if c["name"] == "preservation.changed_share"]
    assert turns == ["turn:0", "turn:1"]
    # a background change is a global edit: no "whole image changed" for its turn
    assert [c["step"] for c in lines["turn-1"]["checks"] if c["name"] == "preservation.whole_image_changed"] == ["turn:0"]


@needs_tesseract
@pytest.mark.parametrize("word", ["Sortie", "Bakery", "Exit"])
def test_big_letters_on_a_plate_over_a_strong_colour_are_read(word):
    """Regression: 56 px letters on a cream plate over magenta read as '' (the crop was never
    scaled down, and its margin took the magenta corner's colour)."""
    from PIL import Image

    from ogi_toolkit.backends.sketch.texts import TextPlan, draw_text
    from ogi_toolkit.quality.checks.ocr import read_text
    from ogi_toolkit.spec import TextItem

    canvas = Image.new("RGB", (512, 512), (220, 60, 200))
    record = draw_text(canvas, TextPlan(0, "t0", TextItem(text=word), (26, 150, 486, 230)))
    assert record["size"] >= 50
    assert distance(word, read_text(canvas, "eng", tuple(record["box"]), record["size"])) == 0.0


def test_clipped_exposure_is_not_judged_for_drawn_styles(tmp_path):
    from PIL import Image, ImageDraw

    from ogi_toolkit.quality.checks.items import CheckItem, CheckStep
    from ogi_toolkit.quality.checks.registry import StepImages
    from ogi_toolkit.quality.checks.suite.technical import technical_checks
    from ogi_toolkit.spec import Scene

    drawing = Image.new("RGB", (128, 128), (255, 255, 255))  # a pen-and-ink line on paper white
    ImageDraw.Draw(drawing).line([(10, 10), (118, 100)], fill=(0, 0, 0), width=2)
    cfg = load_checks_config().section("technical")

    def exposure(family):
        step = CheckStep("scene", tmp_path / "x.png", None, Scene.model_construct(style_family=family), None)
        item = CheckItem("x", "generation", "s", (128, 128), None, [step], [], {})
        checks = technical_checks(StepImages(item, step, drawing, None), cfg)
        return next(c for c in checks if c["name"] == "technical.exposure")

    assert exposure("photographic")["passed"] is False
    drawn = exposure("media_illustration")
    assert drawn["passed"] is None and "paper white" in drawn["reason"] and drawn["value"] > 0.95
