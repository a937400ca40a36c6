"""The planted-fault suite on a small sketch dataset, checked with and without the renderer's
layout record (calls.jsonl): faults the pixels show are caught, untouched items pass. The
faults are planted by re-drawing, transforming or moving images (quality/checks/planted.py),
independently of the checks' code; bench/bench_faults.py runs the same on 510 items."""
from __future__ import annotations

import pytest
from quality_fixtures import make_sketch_dataset

from ogi_toolkit.quality import check
from ogi_toolkit.quality.checks.ocr import available_languages
from ogi_toolkit.quality.checks.planted import plant_fault_suite, without_calls

KINDS = ("misspelt", "wrong_word", "noop_resave", "noop_blur", "wrong_place", "turn_noop", "pixelated", "noised",
         "blank", "grey")
# where the edit should change, and the text box read exactly: only the layout record says
# (without it, a whole-picture read lets a one-letter misspelling pass: the judge's job)
NEED_RECORD = {"wrong_place", "misspelt", "wrong_word"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    base = tmp_path_factory.mktemp("planted")
    clean = make_sketch_dataset(base / "clean")
    kinds = plant_fault_suite(clean, base / "faulty", share=0.5, seed=1, kinds=KINDS)
    bare = without_calls(base / "faulty", base / "bare")
    return kinds, {"record": check(base / "faulty", workers=2).lines, "bare": check(bare, workers=2).lines}


@pytest.mark.skipif("eng" not in available_languages(), reason="Tesseract with eng is not installed")
@pytest.mark.parametrize("side", ["record", "bare"])
def test_pixel_faults_are_caught_and_untouched_items_pass(planted, side):
    kinds, runs = planted
    lines = {line["id"]: line for line in runs[side]}
    faulty = {i for ids in kinds.values() for i in ids}
    assert len(kinds) >= 8, kinds  # most kinds could be planted in this small dataset
    for kind, ids in kinds.items():
        if side == "bare" and kind in NEED_RECORD:
            continue
        caught = [i for i in ids if lines[i]["passed"] is False]
        assert len(caught) == len(ids), (kind, [lines[i]["checks"] for i in ids if i not in caught][:1])
    untouched = [line for i, line in lines.items() if i not in faulty]
    flagged = [line["id"] for line in untouched if line["passed"] is False]
    # without boxes the whole picture is read: OCR misreads some clean texts past the 0.25
    # distance (the bench measures it on 510 items), so the bare side is allowed more
    allowed = 0.05 if side == "record" else 0.2
    assert len(flagged) <= max(1, allowed * len(untouched)), flagged
    assert all(line["layout_record"] is (side == "record") for line in lines.values())
