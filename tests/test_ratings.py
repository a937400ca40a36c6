"""The rating panel driven from Python (set values, press buttons and keys, read ratings.jsonl),
and the ratings library under it: order, resume, latest line wins, bad input."""
import html
import json
import shutil

import ipywidgets as w
import pytest
from rating_fixtures import SUBTASKS, make_rating_dataset

from ogi_toolkit.folder import read_manifest
from ogi_toolkit.quality.judge.checklist import questions
from ogi_toolkit.quality.ratings.ratings import (RatingSession, failed_ids, load_ratings, rating_items, rating_order,
                                         validate_rater)
from ogi_toolkit.spec import InstructionSpec
from ogi_toolkit.widgets import RatingPanel

EDIT_CRITERIA = ["instruction_compliance", "realism", "preservation", "technical"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_rating_dataset(tmp_path_factory.mktemp("rating") / "run1")


@pytest.fixture
def folder(dataset, tmp_path):
    """A fresh copy per test, so that each starts with no ratings."""
    return shutil.copytree(dataset, tmp_path / "run1", symlinks=True)


def _lines(folder):
    return [json.loads(line) for line in (folder / "ratings.jsonl").read_text().splitlines()]


def test_order_is_stratified_by_subtask_and_failures_come_first(folder):
    items = rating_items(folder)
    order = rating_order(items, seed=0)
    assert sorted(i.id for i in order) == sorted(i.id for i in items)
    assert {i.subtask for i in order[:len(SUBTASKS)]} == set(SUBTASKS)  # every subtask before any repeats
    assert [i.id for i in rating_order(items, seed=0)] == [i.id for i in order]
    sample = rating_order(items, seed=0, n=len(SUBTASKS) + 1)
    assert [i.id for i in sample] == [i.id for i in order[:len(SUBTASKS) + 1]]
    assert len(RatingSession(folder, "ana", n=3).order) == 3
    with pytest.raises(ValueError, match="n = 0: expected a whole number of items to rate"):
        rating_order(items, n=0)
    # two failures, one from the offline checks and one from the judge; an item passed later is no failure
    a, b, c = order[-1].id, order[-2].id, order[-3].id
    (folder / "checks.jsonl").write_text(json.dumps({"id": a, "passed": False}) + "\n"
                                         + json.dumps({"id": c, "passed": False}) + "\n" + json.dumps({"id": c, "passed": True}) + "\n")
    (folder / "judgments.jsonl").write_text(json.dumps({"id": b, "passed": False, "score": 0.2, "error": None}) + "\n")
    assert failed_ids(folder) == {a, b}
    first = RatingSession(folder, "ana", failures_first=True).order
    assert {i.id for i in first[:2]} == {a, b} and len(first) == len(order)


def test_items_show_what_the_rater_needs(folder):
    by_kind = {item.prompt_kind: item for item in rating_items(folder)}
    assert set(by_kind) == {"generation", "single_edit", "reference", "multi_turn"}
    records = {r["id"]: r for r in read_manifest(folder)}
    for item in by_kind.values():
        assert list(item.questions) == questions(InstructionSpec.model_validate(records[item.id]["spec"]))
    assert by_kind["generation"].source is None and by_kind["generation"].output.is_file()
    assert by_kind["reference"].source.is_file() and by_kind["reference"].reference.is_file()
    multi = by_kind["multi_turn"]
    assert len(multi.question_turns) == len(multi.questions) and set(multi.question_turns) == {1, 2}
    assert list(multi.question_turns) == sorted(multi.question_turns)  # turn by turn
    assert set(by_kind["generation"].question_turns) == {None}
    turns = by_kind["multi_turn"].turns
    assert len(turns) == 2 and all(image.is_file() for _, image in turns)
    assert [text for text, _ in turns] == [t.instruction for t in InstructionSpec.model_validate(
        records[by_kind["multi_turn"].id]["spec"]).turns]


def _images(widget):
    out = []
    for child in getattr(widget, "children", ()):
        out += [child] if isinstance(child, w.Image) else _images(child)
    return out


def test_panel_set_values_press_buttons_read_the_file(folder):
    panel = RatingPanel(folder, rater="ana")
    order = panel.session.order
    first = order[0]
    assert first.id in panel.progress.value and f"1 / {len(order)}" in panel.progress.value
    assert len(panel.question_controls) == len(first.questions) > 0
    expected_images = {"generation": 1, "single_edit": 2, "reference": 3, "multi_turn": 1 + len(first.turns)}
    assert len(_images(panel.images)) == expected_images[first.prompt_kind]
    names = list(panel.criteria_controls)
    for name, value in zip(names, [9, 8, 7, 6]):
        panel.criteria_controls[name].value = value
    assert panel.passed.value is True  # the rubric's verdict until the rater gives one
    panel.question_controls[0].value = "no"
    panel.save_button.click()
    line = _lines(folder)[-1]
    assert (line["id"], line["rater"], line["passed"], line["skipped"]) == (first.id, "ana", True, False)
    assert line["criteria"] == dict(zip(names, [9, 8, 7, 6]))
    assert line["questions"][0] == {"question": first.questions[0], "answer": "no"}
    assert len(line["questions"]) == len(first.questions) and all(q["answer"] is None for q in line["questions"][1:])
    assert order[1].id in panel.progress.value

    # a missing score saves nothing and says which
    panel.criteria_controls[names[0]].value = 3
    panel.save_button.click()
    assert len(_lines(folder)) == 1 and "score realism" in panel.message.value
    for name in list(panel.criteria_controls)[1:]:
        panel.criteria_controls[name].value = 2
    panel.passed.value = True  # the rater overrules the rubric (it says fail)
    panel.save_button.click()
    assert _lines(folder)[-1]["passed"] is True and _lines(folder)[-1]["score"] < 0.7

    panel.skip_button.click()
    assert _lines(folder)[-1] == {**_lines(folder)[-1], "id": order[2].id, "skipped": True, "passed": None, "criteria": {}}
    panel.back_button.click()
    panel.back_button.click()
    assert order[1].id in panel.progress.value
    assert panel.criteria_controls[names[0]].value == 3 and panel.passed.value is True  # prefilled
    panel.criteria_controls[names[0]].value = 4
    panel.save_button.click()
    ratings = load_ratings(folder)
    assert len(_lines(folder)) == 4 and len(ratings) == 2  # the skip is left out, the redo wins
    assert ratings.set_index("id").loc[order[1].id, f"rating_{names[0]}"] == 4


def test_keys_rate_skip_and_go_back(folder):
    panel = RatingPanel(folder, rater="ana")
    order, first = panel.session.order, panel.session.order[0]
    n = len(panel.criteria_controls)
    for key in "786":  # each digit scores the row in focus and moves down
        panel.keys._handle_custom_msg({"key": key}, [])  # the message the page sends
    panel.press("ArrowUp")
    panel.press("ArrowRight")  # the third row: 6 -> 7
    panel.keys._handle_custom_msg({"key": "Delete"}, [])  # not a shortcut: ignored
    panel.keys._handle_custom_msg({"key": "q"}, [])
    for key in ["ArrowDown"] + ["5"] * (n - 3):
        panel.press(key)
    panel.press("y")
    panel.press("f")
    panel.press("Enter")
    line = _lines(folder)[-1]
    assert line["id"] == first.id and line["passed"] is False
    assert list(line["criteria"].values())[:3] == [7, 8, 7]
    assert line["questions"][0]["answer"] == "yes"
    panel.press("s")
    panel.press("b")
    assert order[1].id in panel.progress.value
    panel.press("=")
    assert list(panel.criteria_controls.values())[0].value == 10


def test_panel_resumes_where_the_rater_stopped(folder):
    panel = RatingPanel(folder, rater="ana")
    order = panel.session.order
    for _ in range(3):
        panel.rate({name: 5 for name in panel.criteria_controls})
    assert RatingPanel(folder, rater="ana").session.current().id == order[3].id
    other = RatingPanel(folder, rater="bo")
    assert other.session.current().id == order[0].id
    other.rater.value = "ana"  # typing another name moves to where that rater stopped
    assert order[3].id in other.progress.value
    other.rater.value = "judge"
    assert "the VLM judge's" in other.error and order[3].id in other.progress.value
    assert other.rater.value == other.session.rater == "ana"
    for _ in range(len(order) - 3):
        panel.skip()
    assert panel.session.finished and f"all {len(order)} items rated by ana" in panel.progress.value
    assert RatingPanel(folder, rater="ana").session.finished


def test_rater_names_and_scores_are_checked(folder):
    assert validate_rater("  ana ") == "ana"
    for bad, message in [("", "non-empty"), ("a\nb", "one line"), ("Judge", "the VLM judge's"), ("x" * 65, "one line")]:
        with pytest.raises(ValueError, match=message):
            validate_rater(bad)
    session = RatingSession(folder, "ana")
    names = [c.name for c in session.criteria(session.current())]
    with pytest.raises(ValueError, match=r"criterion .* = 11, expected a whole number from 0 to 10"):
        session.save({name: 11 for name in names})
    with pytest.raises(ValueError, match=r"criteria \['beauty'\] are not in rubric"):
        session.save({**{name: 5 for name in names}, "beauty": 3})
    assert not (folder / "ratings.jsonl").exists()


def test_a_torn_line_is_never_read_and_paths_stay_inside(folder):
    session = RatingSession(folder, "ana")
    session.save({c.name: 6 for c in session.criteria(session.current())})
    with open(folder / "ratings.jsonl", "ab") as f:
        f.write(b'{"id": "x", "rater": "ana", "criteria"')  # a kill in the middle of a write
    assert len(load_ratings(folder)) == 1
    with pytest.warns(UserWarning, match="torn last line"):
        session.save({c.name: 6 for c in session.criteria(session.current())})
    assert len(_lines(folder)) == 2
    # an output path that leads out of the folder is shown as missing, never read
    manifest = folder / "manifest.jsonl"
    records = [json.loads(line) for line in manifest.read_text().splitlines()]
    records[-1]["output_image"] = "../../etc/passwd"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in records))
    item = next(i for i in rating_items(folder) if i.id == records[-1]["id"])
    assert item.output is None


def test_a_multi_turn_item_is_shown_turn_by_turn(folder):
    panel = RatingPanel(folder, rater="ana")
    while panel.session.current().prompt_kind != "multi_turn":
        panel.skip()
    item = panel.session.current()
    texts = [child.value for row in panel.rows.children[1:] for child in getattr(row, "children", ()) if isinstance(child, w.HTML)]
    assert any(t.startswith("<b>turn 1:</b>") for t in texts) and any(t.startswith("<b>turn 2:</b>") for t in texts)
    shown = [child.value for box in panel.images.children[0].children for child in getattr(box, "children", ())
             if isinstance(child, w.HTML)]
    for k, (instruction, _) in enumerate(item.turns, start=1):
        assert any(f"Turn {k}:</b> {html.escape(instruction)}" in t for t in shown)
    assert len(_images(panel.images)) == 1 + len(item.turns)


def test_skip_never_overrides_a_saved_rating_and_undo_is_explicit(folder):
    """#27 item 4: back to a rated item, skip: the rating stays (it was hidden by a skip line)."""
    panel = RatingPanel(folder, rater="ana")
    first = panel.session.order[0]
    panel.rate({name: 7 for name in panel.criteria_controls})
    panel.press("b")
    panel.press("s")
    assert "kept the saved rating" in panel.message.value
    ratings = load_ratings(folder)
    assert list(ratings["id"]) == [first.id] and not ratings["skipped"].any()
    assert len(_lines(folder)) == 1
    # a file written before the fix (a skip line after the rating) reads the same
    with open(folder / "ratings.jsonl", "a") as f:
        f.write(json.dumps({**_lines(folder)[0], "skipped": True, "criteria": {}, "passed": None}) + "\n")
    assert list(load_ratings(folder)["id"]) == [first.id]
    # undo, explicit: the rating goes, the item stays on screen to be rated again
    panel.press("b")
    assert not panel.undo_button.disabled
    panel.press("u")
    assert load_ratings(folder).empty and first.id in panel.progress.value
    assert all(c.value is None for c in panel.criteria_controls.values()) and panel.undo_button.disabled
    assert RatingSession(folder, "ana").current().id == first.id  # resumes there


def test_the_panel_says_digits_move_on_and_images_can_be_enlarged(folder):
    panel = RatingPanel(folder, rater="ana")
    assert "go to the next" in panel.keys.hint and "moves to the next row" in panel.rows.children[0].value

    def widths():
        return [img.layout.width for img in _images(panel.images)]

    assert set(widths()) == {"200px"}
    panel.press("z")
    assert panel.enlarge.value and set(widths()) == {"512px"}
    panel.enlarge.value = False
    assert set(widths()) == {"200px"}


def _images(widget):
    if isinstance(widget, w.Image):
        return [widget]
    return [img for child in getattr(widget, "children", ()) for img in _images(child)]
