"""Defects the offline quality checks (``ogi check``) found in sketch renderer 2, each read
from the renderer's layout record: a "bigger" text edit that drew nothing new, comparisons
drawn the wrong way round, and layered figures of different concepts drawn alike."""
from __future__ import annotations

import io

import imagehash
import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import render_request
from ogi_toolkit.backends.sketch.vocab import COMPARED_DIMENSIONS, RELATION_KINDS, pools
from ogi_toolkit.spec import Edit, Relation, Scene, SceneObject, TextItem
from sketch_fixtures import spec
from test_sketch_edits_show import SOURCE, _edit, _pixels

O = SceneObject


@pytest.mark.parametrize("target", [0, 1])  # a text on a plate, a free text
def test_bigger_text_already_at_its_largest_still_grows(target):
    source = SOURCE.model_copy(update={"texts": [TextItem(text="OPEN", on=1, role="title"),
                                                 TextItem(text="Main Street", role="headline")]})
    before, after = _edit(Edit(op="text_alter", target=target, attribute="size", value="bigger"), source)
    old, new = before.meta["texts"][target], after.meta["texts"][target]
    assert new["size"] > old["size"]
    x0, y0, x1, y1 = new["box"]
    inside = (_pixels(before)[y0:y1, x0:x1] != _pixels(after)[y0:y1, x0:x1]).any(axis=2).sum()
    assert inside > 0 and after.meta["pixels_changed"]["total"] > 0


def _comparatives() -> list[str]:
    return [item.id for item in pools()["relations"] if item.group == "comparative"]


def test_every_comparative_of_the_pool_has_its_own_kind():
    assert set(_comparatives()) <= set(RELATION_KINDS)
    assert RELATION_KINDS["narrower_than"] == ("larger", True) and COMPARED_DIMENSIONS["narrower_than"] == "width"
    assert RELATION_KINDS["shorter_than"] == ("larger", True) and COMPARED_DIMENSIONS["shorter_than"] == "height"


def _measure(box, dimension):
    w, h = box[2] - box[0], box[3] - box[1]
    return {"width": w, "height": h, "length": max(w, h), "area": w * h}[dimension]


PAIRS = [("ladle", "vacuum cleaner"), ("goblin", "griffin"), ("pencil", "door"), ("giraffe", "mouse")]


@pytest.mark.parametrize("relation", [r for r in sorted(RELATION_KINDS) if RELATION_KINDS[r][0] == "larger"])
def test_comparisons_are_drawn_as_stated(relation):
    if relation not in _comparatives():
        pytest.skip(f"{relation} is not in the pool")
    swapped = RELATION_KINDS[relation][1]
    dimension = COMPARED_DIMENSIONS.get(relation, "area")
    for a, b in PAIRS + [(b, a) for a, b in PAIRS]:
        scene = Scene(objects=[O(name=a), O(name=b)], relations=[Relation(subject=0, relation=relation, object=1)])
        result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="512x512"))
        boxes = {o["index"]: o["instances"][0] for o in result.meta["objects"]}
        subject, obj = _measure(boxes[0], dimension), _measure(boxes[1], dimension)
        assert (obj > subject) if swapped else (subject > obj), f"{a} {relation} {b}: {boxes}"


def test_layered_figures_of_different_concepts_look_different():
    def phash(concept, labels):
        scene = Scene(concept=concept, concept_kind="cross_section", labels=labels)
        result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="512x512"))
        return imagehash.phash(Image.open(io.BytesIO(result.image)))

    atmosphere = phash("atmosphere_layers", ["troposphere", "stratosphere", "mesosphere", "thermosphere", "exosphere"])
    station = phash("hydroelectric_station", ["reservoir", "dam", "penstock", "turbine", "generator"])
    assert atmosphere - station > 6
