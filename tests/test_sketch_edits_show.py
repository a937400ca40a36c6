"""Sketch renderer 2, point 2: every edit op changes pixels where it should and only there;
poses are visible transforms, materials texture fills, each style its own look with labels
kept readable, actions their motion marks."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import render_request
from ogi_toolkit.backends.sketch.vocab import pools
from ogi_toolkit.spec import Edit, Scene, SceneObject, TextItem
from sketch_fixtures import spec

O = SceneObject
SOURCE = Scene(objects=[O(name="dog", colour="brown"), O(name="bicycle", colour="red"), O(name="oak tree"),
                        O(name="woman", action="standing")],
               texts=[TextItem(text="OPEN", on=1), TextItem(text="Main Street")], background="park")
EDITS = {
    "add": Edit(op="add", object=O(name="kite"), relation="next_to", anchor=0),
    "remove": Edit(op="remove", target=2), "replace": Edit(op="replace", target=0, object=O(name="cat")),
    "alter": Edit(op="alter", target=1, attribute="colour", value="blue"),
    "material": Edit(op="material", target=1, value="wood"), "motion": Edit(op="motion", target=3, value="jumping"),
    "move": Edit(op="move", target=0, value="right"),
    "text_add": Edit(op="text_add", text=TextItem(text="SALE")),
    "text_replace": Edit(op="text_replace", target=1, text=TextItem(text="High Street")),
    "text_alter": Edit(op="text_alter", target=1, attribute="colour", value="red"),
    "text_remove": Edit(op="text_remove", target=1), "background": Edit(op="background", value="snowy field"),
    "style": Edit(op="style", value="ukiyo_e"), "extract": Edit(op="extract", target=0),
}


def _edit(edit: Edit, source: Scene = SOURCE, size: str = "320x320"):
    case = spec("edit", kind="editing", source=source, edits=[edit])
    before = render_request(ImageRequest(prompt="", spec=case, step="source", size=size))
    after = render_request(ImageRequest(prompt="", spec=case, step="edit", size=size))
    return before, after


def _pixels(result) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(result.image)).convert("RGB"), dtype=np.int16)


def test_every_edit_op_is_covered():
    from ogi_toolkit.spec import EDIT_OPS

    assert set(EDITS) == set(EDIT_OPS)


@pytest.mark.parametrize("op", sorted(EDITS))
def test_every_edit_changes_pixels_and_only_in_its_regions(op):
    before, after = _edit(EDITS[op])
    changed = after.meta["pixels_changed"]
    assert changed["total"] > 300, f"{op}: the edit barely shows ({changed})"
    assert changed["outside_regions"] == 0, f"{op}: pixels changed outside the edited regions ({changed})"
    diff = (_pixels(before) != _pixels(after)).any(axis=2).sum()
    assert diff == changed["total"]


@pytest.mark.parametrize("op", ["alter", "material", "motion", "replace"])
def test_an_object_edit_changes_little_beyond_the_object(op):
    before, after = _edit(EDITS[op])
    target = EDITS[op].target
    rec = next(o for o in before.meta["objects"] if o["index"] == target)
    x0, y0, x1, y1 = rec["box"]
    diff = (_pixels(before) != _pixels(after)).any(axis=2)
    inside = diff[y0:y1, x0:x1].sum()
    assert inside > 0.5 * diff.sum(), f"{op}: most changed pixels lie outside the object"


@pytest.mark.parametrize("action, pose", [("jumping", "jump"), ("lying down", "lie"), ("falling", "fall"),
                                          ("turning a corner", "turn"), ("stretching", "stretch"),
                                          ("running", "run"), ("sleeping", "sleep"), ("sitting", "sit")])
def test_a_change_of_motion_is_a_visible_transform(action, pose):
    before, after = _edit(Edit(op="motion", target=3, value=action))
    rec = next(o for o in after.meta["objects"] if o["name"] == "woman")
    assert rec["pose"] == pose
    x0, y0, x1, y1 = rec["instances"][0]
    body_before, body_after = _pixels(before)[y0:y1, x0:x1], _pixels(after)[y0:y1, x0:x1]
    assert (np.abs(body_before - body_after).max(axis=2) > 40).mean() > 0.08, f"{action}: the pose barely shows"


def test_poses_differ_from_each_other():
    drawn = {}
    for action in ("turning a corner", "stretching", "falling", "jumping", "walking", "waving"):
        _, after = _edit(Edit(op="motion", target=3, value=action))
        rec = next(o for o in after.meta["objects"] if o["name"] == "woman")
        x0, y0, x1, y1 = rec["instances"][0]
        drawn[action] = _pixels(after)[y0:y1, x0:x1]
    shapes = {a.shape for a in drawn.values()}
    assert len(shapes) == 1
    names = sorted(drawn)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert (np.abs(drawn[a] - drawn[b]).max(axis=2) > 40).mean() > 0.05, f"{a} and {b} look the same"


def _styled(style: str | None):
    scene = Scene(objects=[O(name="cat", colour="orange"), O(name="lighthouse")], background="beach", style=style)
    return render_request(ImageRequest(prompt="", spec=spec("s", scene=scene), step="scene", size="192x192"))


def test_every_style_looks_its_own_and_keeps_labels_readable():
    plain = _styled(None)
    base = _pixels(plain)
    seen = {}
    for item in pools()["styles"]:
        result = _styled(item.id)
        img = _pixels(result)
        changed = (np.abs(img - base).max(axis=2) > 20).mean()
        assert changed > 0.15, f"{item.id} ({item.sketch_treatment}): only {changed:.0%} of the picture changes"
        key = img.tobytes()
        assert key not in seen, f"{item.id} draws the same picture as {seen.get(key)}"
        seen[key] = item.id
        for rec, plain_rec in zip(result.meta["objects"], plain.meta["objects"]):  # labels: the same, legible pixels
            assert rec["label_box"] == plain_rec["label_box"]
            x0, y0, x1, y1 = rec["label_box"]
            assert np.array_equal(img[y0:y1, x0:x1], base[y0:y1, x0:x1]), f"{item.id}: label {rec['label']} restyled"
        assert len(result.meta["objects"]) == 2  # no style drops an object
