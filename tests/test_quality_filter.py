"""ogi filter: a new dataset folder of the kept items, dropped.csv with reasons, check and
judge results as load_dataset columns; and the duplicate search against brute force."""
import csv
import json
import os
import random

import pytest

from ogi_toolkit.cli import main
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.quality import check, filter_dataset
from ogi_toolkit.quality.checks.duplicates import duplicate_pairs
from ogi_toolkit.quality.checks.faults import plant_faults
from quality_fixtures import make_sketch_dataset


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    base = tmp_path_factory.mktemp("q")
    clean = make_sketch_dataset(base / "clean")
    planted = plant_faults(clean, base / "faulty")
    check(base / "faulty", workers=2)
    return base / "faulty", planted


def dropped(out):
    with open(out / "dropped.csv", newline="") as f:
        return {row["id"]: row["reason"] for row in csv.DictReader(f)}


@pytest.mark.system("tesseract")  # the swapped texts are dropped when OCR reads them
def test_filter_keeps_passing_items_and_lists_the_dropped(faulty, tmp_path):
    root, planted = faulty
    report = filter_dataset(root, tmp_path / "kept")
    reasons = dropped(tmp_path / "kept")
    for ids in planted.values():
        assert all(i in reasons for i in ids)
    assert "technical.not_flat" in reasons[planted["blank"][0]]
    kept = load_dataset(tmp_path / "kept")
    assert len(kept) == report.kept > 0 and kept["check_passed"].all()
    assert not set(kept["id"]) & set(reasons)
    first = kept.iloc[0]
    original = load_dataset(root).set_index("id").loc[first["id"], "output_image"]
    assert os.path.samefile(first["output_image"], original) == report.linked  # a hard link, not a copy


@pytest.mark.system("tesseract")
def test_require_only_the_named_groups(faulty, tmp_path):
    root, planted = faulty
    filter_dataset(root, tmp_path / "t", require="text")
    reasons = dropped(tmp_path / "t")
    assert len(set(planted["swapped"]) & set(reasons)) >= 9
    assert planted["blank"][0] not in reasons  # a technical fault, not a text one
    with pytest.raises(ValueError, match="expected check groups"):
        filter_dataset(root, tmp_path / "u", require="text,spelling")


def test_min_score_reads_judgments(faulty, tmp_path):
    root, _ = faulty
    ids = list(load_dataset(root)["id"])
    lines = [{"id": ids[0], "judge": "m", "score": 0.9, "passed": True, "criteria": {}, "questions": []},
             {"id": ids[1], "judge": "m", "score": 0.4, "passed": False, "criteria": {}, "questions": []},
             {"id": ids[2], "judge": "m", "error": {"kind": "unparseable", "message": "not JSON"}}]
    (root / "judgments.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines))
    try:
        report = filter_dataset(root, tmp_path / "j", min_score=0.7)
        reasons = dropped(tmp_path / "j")
        assert report.kept == 1 and reasons[ids[1]].startswith("judge score 0.4")
        assert reasons[ids[2]] == "judge error: unparseable: not JSON" and reasons[ids[3]] == "not judged"
        frame = load_dataset(root).set_index("id")
        assert frame.loc[ids[0], "judge_score"] == 0.9 and frame.loc[ids[2], "judge_error"] == "unparseable"
    finally:
        (root / "judgments.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match="judgments.jsonl"):
        filter_dataset(root, tmp_path / "k", min_score=0.7)


def test_filter_refuses_a_non_empty_out(faulty, tmp_path):
    root, _ = faulty
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("mine")
    assert main(["filter", str(root), "--out", str(tmp_path / "full")]) == 2
    assert (tmp_path / "full" / "x").read_text() == "mine"


def test_cli_check_and_filter(faulty, tmp_path, capsys):
    root, _ = faulty
    assert main(["check", str(root), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and "OCR exact match by script: " in out and "technical.not_flat" in out
    assert main(["filter", str(root), "--out", str(tmp_path / "cli"), "--require", "technical"]) == 0
    assert (tmp_path / "cli" / "manifest.jsonl").is_file() and (tmp_path / "cli" / "dropped.csv").is_file()


def test_duplicate_bands_find_what_brute_force_finds():
    rng = random.Random(0)
    base = [rng.getrandbits(64) for _ in range(30)]
    hashes = {}
    for k, h in enumerate(base):
        hashes[f"a{k}"] = f"{h:016x}"
        flips = rng.sample(range(64), rng.randint(0, 4))  # a near copy, 0-4 bits away
        hashes[f"b{k}"] = f"{h ^ sum(1 << b for b in flips):016x}"
    for d in (0, 1, 2, 3):
        got = duplicate_pairs(hashes, d)
        values = {k: int(v, 16) for k, v in hashes.items()}
        want = {a for a in values for b in values if a != b and (values[a] ^ values[b]).bit_count() <= d}
        assert set(got) == want
