"""The dataset-folder layer: append-only JSONL files and the validated result readers (#22 item 6)."""
import json
import math
import re
import warnings

import pytest

from ogi_toolkit.folder import (CHECKS_NAME, JUDGMENTS_NAME, RATINGS_NAME, JsonlWriter, ManifestWriter, UnsafePath,
                                inside, iter_jsonl, read_checks, read_judgments, iter_ratings)

CHECK = {"id": "a", "passed": True, "checks": [{"name": "text.ocr", "value": 1.0, "threshold": 0.8, "passed": True}]}
JUDGMENT = {"id": "a", "judge": "m", "score": 0.75, "passed": True, "criteria": {"overall": 0.75}, "error": None}
RATING = {"id": "a", "rater": "ana", "criteria": {"overall": 3}, "passed": True, "score": 0.5,
          "scale": {"min": 1, "max": 5}}


def _ratings(folder):
    return {(line["rater"], line["id"]): line for line in iter_ratings(folder)}


def _write(path, lines, tail=""):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + tail)
    return path


def test_writer_cuts_a_torn_tail_and_completes_a_whole_one(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b", "sta')
    with pytest.warns(UserWarning, match="torn last line"):
        with JsonlWriter(path) as w:
            w.append({"id": "c"})
    assert [r["id"] for r in iter_jsonl(path)] == ["a", "c"]
    path.write_text('{"id": "a"}\n{"id": "b"}')  # edited by hand, no final newline: a whole record
    with JsonlWriter(path) as w:
        w.append({"id": "c"})
    assert [r["id"] for r in iter_jsonl(path)] == ["a", "b", "c"]


def test_manifest_writer_refuses_an_unknown_status(tmp_path):
    with ManifestWriter(tmp_path / "manifest.jsonl") as w, pytest.raises(ValueError, match="status 'odd'"):
        w.append({"id": "a", "status": "odd"})


@pytest.mark.parametrize("name, reader, good", [(CHECKS_NAME, read_checks, CHECK),
                                                (JUDGMENTS_NAME, read_judgments, JUDGMENT),
                                                (RATINGS_NAME, _ratings, RATING)])
def test_a_torn_last_line_is_skipped_by_every_reader(tmp_path, name, reader, good):
    _write(tmp_path / name, [good], tail='{"id": "b", "pass')
    with pytest.warns(UserWarning, match=rf"{name}:2: torn last line"):
        assert len(reader(tmp_path)) == 1
    assert reader(tmp_path / "absent") == {}


GOOD = {CHECKS_NAME: CHECK, JUDGMENTS_NAME: JUDGMENT, RATINGS_NAME: RATING}


@pytest.mark.parametrize("name, reader, bad, says", [
    (CHECKS_NAME, read_checks, {**CHECK, "id": 7}, "id = 7: expected a non-empty string"),
    (CHECKS_NAME, read_checks, {**CHECK, "checks": "none"}, "checks = 'none': expected a list"),
    (CHECKS_NAME, read_checks, {**CHECK, "passed": "yes"}, "passed = 'yes'"),
    (CHECKS_NAME, read_checks, {**CHECK, "checks": [{"value": 1}]}, r"checks\[0\]"),
    (JUDGMENTS_NAME, read_judgments, {**JUDGMENT, "score": 57}, "score = 57: expected a number from 0 to 1"),
    (JUDGMENTS_NAME, read_judgments, {**JUDGMENT, "score": math.nan}, "score = nan"),
    (JUDGMENTS_NAME, read_judgments, {**JUDGMENT, "criteria": "x"}, "criteria = 'x'"),
    (JUDGMENTS_NAME, read_judgments, {**JUDGMENT, "criteria": {"overall": 2}}, "criteria.overall = 2"),
    (JUDGMENTS_NAME, read_judgments, {**JUDGMENT, "id": ["a"]}, r"id = \['a'\]"),
    (RATINGS_NAME, _ratings, {**RATING, "criteria": {"overall": 57}}, "criteria.overall = 57: expected a whole number from 1 to 5"),
    (RATINGS_NAME, _ratings, {**RATING, "criteria": "x"}, "criteria = 'x'"),
    (RATINGS_NAME, _ratings, {**RATING, "score": math.nan}, "score = nan"),
    (RATINGS_NAME, _ratings, {**RATING, "rater": 3}, "rater = 3"),
])
def test_a_bad_line_is_an_error_naming_file_and_line(tmp_path, name, reader, bad, says):
    _write(tmp_path / name, [GOOD[name], bad])  # the second line is the bad one
    with pytest.raises(ValueError, match=rf"{name}:2: .*{says}"):
        reader(tmp_path)


def test_a_line_that_is_not_json_names_its_line(tmp_path):
    (tmp_path / CHECKS_NAME).write_text(json.dumps(CHECK) + "\nnot json\n")
    with pytest.raises(ValueError, match=rf"{CHECKS_NAME}:2: not a JSON line"):
        read_checks(tmp_path)


def test_unknown_ids_are_left_out_with_a_count(tmp_path):
    _write(tmp_path / JUDGMENTS_NAME, [JUDGMENT, {**JUDGMENT, "id": "x"}, {**JUDGMENT, "id": "y"}])
    with pytest.warns(UserWarning, match=r"2 line\(s\) name ids not in the dataset \(first: 'x'\)"):
        assert list(read_judgments(tmp_path, known_ids={"a"})) == ["a"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_judgments(tmp_path)) == 3  # no known ids given: nothing to warn about


def test_last_line_per_id_wins_and_ratings_come_line_by_line(tmp_path):
    _write(tmp_path / JUDGMENTS_NAME, [JUDGMENT, {**JUDGMENT, "score": 0.25}])
    assert read_judgments(tmp_path)["a"]["score"] == 0.25
    _write(tmp_path / RATINGS_NAME, [RATING, {**RATING, "criteria": {"overall": 4}}, {"id": "a", "rater": "ana", "undone": True}])
    assert [line.get("criteria") for line in iter_ratings(tmp_path)] == [{"overall": 3}, {"overall": 4}, None]


def test_inside_refuses_paths_out_of_the_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "link").symlink_to(tmp_path)
    assert inside(tmp_path / "x", "a.png") == (tmp_path / "x" / "a.png").resolve()
    for rel in ("../y", "/etc/passwd", "link/y", ""):
        with pytest.raises(UnsafePath):
            inside(tmp_path / "x", rel)



# -- the commands that read result files, on files edited by hand (#22 item 6) -------------------------

def _dataset_with(tmp_path, checks, judgments=None):
    from dataset_fixtures import make_dataset

    make_dataset(tmp_path / "ds")
    _write(tmp_path / "ds" / CHECKS_NAME, checks)
    if judgments is not None:
        _write(tmp_path / "ds" / JUDGMENTS_NAME, judgments)
    return tmp_path / "ds"


def _check(item_id):
    return {**CHECK, "id": item_id}


def _judged(item_id, **fields):
    return {**JUDGMENT, "id": item_id, **fields}


@pytest.mark.parametrize("bad, says", [
    (_judged("gen-1", score=57), r"judgments\.jsonl:1: item 'gen-1': score = 57"),
    (_judged("gen-1", score=math.nan), r"judgments\.jsonl:1: item 'gen-1': score = nan"),
    (_judged("gen-1", criteria="x"), r"judgments\.jsonl:1: item 'gen-1': criteria = 'x'"),
    ({**_judged("gen-1"), "id": 12}, r"judgments\.jsonl:1: id = 12"),
])
def test_filter_refuses_a_hand_edited_judgment_naming_file_and_line(tmp_path, capsys, bad, says):
    """A score of 57 or NaN passed `ogi filter --min-score` before; criteria "x" and an id 12 were tracebacks."""
    from ogi_toolkit.cli import main

    ds = _dataset_with(tmp_path, [_check(i) for i in ("gen-1", "edit-1")], [bad])
    assert main(["filter", str(ds), "--out", str(tmp_path / "kept"), "--min-score", "0.5"]) == 2
    assert re.search(says, capsys.readouterr().err)
    assert not (tmp_path / "kept").exists()


def test_filter_and_gallery_warn_about_unknown_ids_and_skip_a_torn_line_alike(tmp_path):
    from ogi_toolkit.dataset.gallery import write_gallery
    from ogi_toolkit.quality import filter_dataset

    ds = _dataset_with(tmp_path, [_check("gen-1"), _check("nobody"), _check("nobody-2")])
    with open(ds / CHECKS_NAME, "a") as f:
        f.write('{"id": "edit-1", "pass')  # a write cut short
    for run in (lambda: filter_dataset(ds, tmp_path / "kept"), lambda: write_gallery(ds)):
        with pytest.warns(UserWarning) as caught:
            run()
        messages = [str(w.message) for w in caught]
        assert any("2 line(s) name ids not in the dataset (first: 'nobody')" in m for m in messages)
        assert any(f"{CHECKS_NAME}:4: torn last line" in m for m in messages)


def test_checks_none_is_a_clean_error_for_the_gallery(tmp_path, capsys):
    from ogi_toolkit.cli import main

    ds = _dataset_with(tmp_path, [{**_check("gen-1"), "checks": "none"}])
    assert main(["gallery", str(ds)]) == 2
    assert "checks.jsonl:1: item 'gen-1': checks = 'none': expected a list" in capsys.readouterr().err
