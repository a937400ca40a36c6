"""`ogi subset` on a small real dataset drawn by the sketch renderer: nesting, per-stratum
counts within one item of the target, determinism, quality and near-duplicate filters, short
strata reported and never padded, and subset folders that read as datasets."""
from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from curation_fixtures import copy_dataset, make_sketch_dataset, write_jsonl
from ogi_toolkit.cli import main
from ogi_toolkit.curation import QualityFilter, make_subsets
from ogi_toolkit.curation.apportion import nested_counts
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.folder import ManifestWriter

SIZES = {"10": 10, "25": 25, "40": 40, "60": 60}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_sketch_dataset(tmp_path_factory.mktemp("curation") / "run1")


def _ids(folder: Path) -> list[str]:
    return [r["id"] for r in read_manifest(folder)]


def _key(record: dict, stratify: tuple[str, ...]) -> tuple:
    return tuple(record["spec"][k] for k in stratify)


@pytest.mark.parametrize("target,stratify", [("dataset", ("subtask", "difficulty")), ("paper", ("subtask",)),
                                             ("paper", ("subtask", "difficulty")), ("dataset", ("domain",)),
                                             ("paper", ("domain", "template_id"))])
def test_subsets_nest_and_follow_the_target_within_one_item(data, tmp_path, target, stratify):
    result = make_subsets(data, SIZES, tmp_path / "subsets", stratify=stratify, target=target, seed=1)
    previous: set[str] = set()
    for name, size in SIZES.items():
        ids = _ids(tmp_path / "subsets" / name)
        assert len(ids) == len(set(ids)) == len(result.ids[name])
        assert previous <= set(ids), f"{name} does not contain the smaller subset"
        previous = set(ids)
        rows = result.strata[result.strata["size"] == name]
        # the strata counted: the stratify keys, split by subtask where they are coarser (#27 item 6)
        assert result.stratify == (stratify if "subtask" in stratify else (*stratify, "subtask"))
        counts = Counter(_key(r, result.stratify) for r in read_manifest(tmp_path / "subsets" / name))
        for row in rows.itertuples():
            key = tuple(getattr(row, k) for k in result.stratify)
            assert counts.get(key, 0) == row.count
            if row.short:
                assert row.count == row.capacity < row.target + 1  # all it had, no more
            else:
                assert abs(row.count - row.target) < 1, (name, key, row.count, row.target)
        assert math.isclose(rows["target"].sum(), size)
        if not rows["short"].any():
            assert len(ids) == size


def test_a_target_file_sets_the_shares(data, tmp_path):
    target = tmp_path / "target.csv"
    target.write_text("subtask,share\nremove,0.5\nphotographic_styles,0.3\ncontainment,0.2\n")
    result = make_subsets(data, "20", tmp_path / "subsets", target=target)
    assert Counter(r["spec"]["subtask"] for r in read_manifest(tmp_path / "subsets" / "20")) == {
        "remove": 10, "photographic_styles": 6, "containment": 4}
    assert result.left_out["stratum not in the target"] == 20  # replace, reference_image, two_turns


def test_a_short_stratum_is_reported_with_its_capacity_and_never_padded(data, tmp_path, capsys):
    out = tmp_path / "subsets"
    assert main(["subset", str(data), "--sizes", "10,60", "--stratify", "subtask", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    strata = pd.read_csv(out / "strata.csv")
    short = strata[strata["short"]]
    assert set(short["size"]) == {60}
    ref = short.set_index("subtask").loc["reference_image"]
    assert ref["capacity"] == 5 and ref["count"] == 5 and ref["target"] > 10
    assert "short at 60: subtask=reference_image: share 10.3, capacity 5" in printed
    summary = pd.read_csv(out / "summary.csv").set_index("size")
    assert summary.loc[60, "items"] == len(_ids(out / "60")) < 60  # not padded from other strata
    assert summary.loc[60, "short_strata"] == len(short)
    assert summary.loc[10, "items"] == 10


def test_the_same_seed_gives_the_same_subsets_and_another_seed_others(data, tmp_path):
    for name, seed in [("a", 5), ("b", 5), ("c", 6)]:
        make_subsets(data, SIZES, tmp_path / name, target="dataset", seed=seed)
    for size in SIZES:
        assert (tmp_path / "a" / size / "manifest.jsonl").read_bytes() == (tmp_path / "b" / size / "manifest.jsonl").read_bytes()
    assert (tmp_path / "a" / "summary.csv").read_bytes() == (tmp_path / "b" / "summary.csv").read_bytes()
    assert set(_ids(tmp_path / "a" / "25")) != set(_ids(tmp_path / "c" / "25"))


def test_items_that_fail_checks_or_the_judge_are_left_out_first(data, tmp_path):
    root = copy_dataset(data, tmp_path / "run")
    ids = sorted(r["id"] for r in read_manifest(root))
    failed_checks, unchecked = set(ids[0:60:5]), {ids[1]}
    write_jsonl(root / "checks.jsonl", [
        {"id": i, "passed": i not in failed_checks,
         "checks": [{"name": "sharpness", "value": 0.1 if i in failed_checks else 0.9, "threshold": 0.5,
                     "passed": i not in failed_checks}]}
        for i in ids if i not in unchecked])
    low, judge_error = set(ids[2:60:7]), {ids[3]}
    judgments = [{"id": i, "judge": "fixture-vlm", "score": 0.3 if i in low else 0.9, "passed": i not in low,
                  "criteria": {}, "questions": []} for i in ids if i not in judge_error]
    judgments.append({"id": ids[3], "error": "timeout"})
    write_jsonl(root / "judgments.jsonl", judgments)
    quality = QualityFilter(checks=True, min_score=0.7)
    bad = failed_checks | unchecked | low | judge_error
    # the whole dataset's size: every item that passes (a size above it is refused, #27 item 6)
    result = make_subsets(root, {"all": len(ids)}, tmp_path / "subsets", target="dataset", quality=quality)
    kept = set(_ids(tmp_path / "subsets" / "all"))
    assert kept == set(ids) - bad
    reasons = pd.read_csv(tmp_path / "subsets" / "left_out.csv").set_index("id")["reason"]
    assert reasons[ids[1]] == "not checked" and reasons[ids[3]] == "judge error"
    assert reasons[sorted(failed_checks)[0]] == "failed checks (sharpness)"
    assert result.left_out["judge score below 0.7"] == len(low - failed_checks - unchecked)
    summary = pd.read_csv(tmp_path / "subsets" / "summary.csv").iloc[0]
    assert summary["check_pass_rate"] == 1.0 and summary["judge_pass_rate"] == 1.0
    # without the filter the same folder keeps them, and reports the pass rates it has
    loose = make_subsets(root, {"all": len(ids)}, tmp_path / "loose", target="dataset")
    assert loose.summary.iloc[0]["check_pass_rate"] == pytest.approx(1 - len(failed_checks) / (len(ids) - 1))


def test_a_filter_without_its_file_says_which_file(data, tmp_path, capsys):
    assert main(["subset", str(data), "--sizes", "5", "--passed-checks", "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "checks.jsonl: not found" in err and "\n" == err[-1] and err.count("\n") == 1


@pytest.mark.parametrize("method", ["lexical", "semantic"])
def test_near_duplicates_are_left_out_when_asked(data, tmp_path, method):
    root = copy_dataset(data, tmp_path / "run")
    records = [r for r in read_manifest(root) if r["spec"]["subtask"] == "photographic_styles"][:4]
    copies = []
    with ManifestWriter(root / "manifest.jsonl") as writer:
        for n, record in enumerate(records):
            copy = json.loads(json.dumps(record))
            copy["id"] = f"{record['id']}-again"
            copy["spec"]["id"] = copy["id"]
            copy["instruction"] = record["instruction"] + (" " if n % 2 else "")  # exact, or a space more
            writer.append(copy)
            copies.append(copy["id"])
    groups = [{r["id"], c} for r, c in zip(records, copies)]
    kept = set(_ids(make_subsets(root, {"all": "all"}, tmp_path / "s", target="dataset", drop_near_duplicates=True,
                                 near_duplicate_method=method).out / "all"))
    for group in groups:
        assert len(group & kept) == 1, group  # one of each pair, never both, never neither
    everything = set(_ids(make_subsets(root, {"all": "all"}, tmp_path / "s2", target="dataset").out / "all"))
    assert set().union(*groups) <= everything  # without the option, both are kept


def test_a_subset_is_a_dataset_folder_over_the_parents_images(data, tmp_path):
    make_subsets(data, "12", tmp_path / "subsets", target="dataset")
    folder = tmp_path / "subsets" / "12"
    assert (folder / "images").is_symlink() and not Path((folder / "images").readlink()).is_absolute()
    frame = load_dataset(folder)
    assert len(frame) == 12
    for path in frame["output_image"]:
        assert Path(path).resolve().is_relative_to(data.resolve())  # the parent's file, not a copy
        with Image.open(path) as image:
            image.verify()
    parent = {r["id"]: r for r in read_manifest(data)}
    assert all(r == parent[r["id"]] for r in read_manifest(folder))
    view = json.loads((folder / "view.json").read_text())
    assert view["made_by"] == "ogi subset" and (folder / view["parent"]).resolve() == data.resolve()
    # a subset of a subset links to the real images too
    make_subsets(folder, "6", tmp_path / "nested", target="dataset")
    assert len(load_dataset(tmp_path / "nested" / "6")) == 6


def test_records_whose_images_leave_the_folder_are_left_out(data, tmp_path):
    root = copy_dataset(data, tmp_path / "run")
    (tmp_path / "secret.png").write_bytes((root / read_manifest(root)[0]["output_image"]).read_bytes())
    record = json.loads(json.dumps(read_manifest(root)[0]))
    (root / "images" / "link.png").symlink_to(tmp_path / "secret.png")  # a file linked out
    with ManifestWriter(root / "manifest.jsonl") as writer:
        writer.append({**record, "id": "escape", "output_image": "../secret.png"})
        writer.append({**record, "id": "absolute", "output_image": str(tmp_path / "secret.png")})
        writer.append({**record, "id": "linked", "output_image": "images/link.png"})
    result = make_subsets(root, {"all": "all"}, tmp_path / "s", target="dataset")
    assert result.left_out["image path outside the dataset folder"] == 3
    assert not {"escape", "absolute", "linked"} & set(_ids(tmp_path / "s" / "all"))


def test_cli_names_folders_as_the_sizes_were_given(data, tmp_path, capsys):
    out = tmp_path / "subsets"
    assert main(["subset", str(data), "--sizes", "0.01k,20", "--stratify", "subtask,difficulty", "--target", "dataset",
                 "--seed", "0", "--out", str(out)]) == 0
    assert (out / "0.01k" / "manifest.jsonl").is_file() and (out / "20" / "manifest.jsonl").is_file()
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["size"]) == ["0.01k", "20"] and list(summary["items"]) == [10, 20]
    for column in ("distinct_2", "compression_ratio", "target_distance", "check_pass_rate"):
        assert column in summary
    by_subtask = Counter(r["spec"]["subtask"] for r in read_manifest(out / "20"))
    assert {c[2:]: int(summary.iloc[1][c]) for c in summary if c.startswith("n:") and summary.iloc[1][c] > 0} == by_subtask
    assert main(["subset", str(data), "--sizes", "ten", "--out", str(tmp_path / "x")]) == 2
    assert "size 'ten': expected a whole number" in capsys.readouterr().err


def test_nested_counts_keep_quota_and_never_shrink():
    rng = np.random.default_rng(0)
    for _ in range(50):
        weights = rng.random(rng.integers(1, 30)) ** 2 + 1e-4
        sizes = list(range(0, 300, 7))
        counts = nested_counts(weights, sizes)
        for smaller, larger in zip(sizes, sizes[1:]):
            assert (counts[smaller] <= counts[larger]).all()
        for size in sizes:
            exact = size * weights / weights.sum()
            assert counts[size].sum() == size and (np.abs(counts[size] - exact) < 1).all()


def test_the_paper_target_is_the_taxonomy_counts_of_the_covered_subtasks():
    from ogi_toolkit.curation.targets import target_weights
    from ogi_toolkit.definition.taxonomy import load_taxonomy

    subtasks = {s.id: s for s in load_taxonomy().subtasks}
    counts = Counter({("remove", 1): 3, ("remove", 2): 1, ("containment", 2): 2})
    weights = target_weights("paper", ("subtask", "difficulty"), counts)
    assert {k[0] for k in weights} == {"remove", "containment"}  # subtasks not in the data: out of scope
    for (subtask, grade), w in weights.items():
        assert w == pytest.approx(subtasks[subtask].target * subtasks[subtask].mix()[grade])
    by_domain = target_weights("paper", ("domain",), Counter({("subject_manipulation",): 1}))
    assert by_domain == {("subject_manipulation",): sum(s.target for s in subtasks.values()
                                                          if s.domain == "subject_manipulation")}
    with pytest.raises(ValueError, match="the paper's counts are per subtask"):
        target_weights("paper", ("difficulty",), Counter({(1,): 1}))
