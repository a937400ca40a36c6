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
from ogi_toolkit.backends.sketch.vocab import RELATION_KINDS, pools
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


# what each comparative of the pool states: (dimension, the subject is the bigger one?);
# None: not a size (drawn side by side, same size, or not by boxes at all)
STATED = {"larger_than": ("area", True), "smaller_than": ("area", False), "taller_than": ("height", True),
          "shorter_than": ("height", False), "longer_than": ("length", True), "shorter_in_length_than": ("length", False),
          "wider_than": ("width", True), "narrower_than": ("width", False), "heavier_than": ("area", True),
          "less_heavy_than": ("area", False), "more_than": None, "fewer_than": None, "darker_than": None,
          "lighter_than": None, "older_than": None, "newer_than": None, "same_size_as": None}


def _comparatives() -> list[str]:
    return sorted(item.id for item in pools()["relations"] if item.group == "comparative")


def test_every_comparative_of_the_pool_is_stated_here_and_in_the_table():
    assert set(_comparatives()) == set(STATED)  # a new pool comparative needs its line above
    assert set(_comparatives()) <= set(RELATION_KINDS)  # none falls back on its group's kind
    for relation, stated in STATED.items():
        assert (RELATION_KINDS[relation][0] == "larger") == (stated is not None), relation


def _measure(box, dimension):
    w, h = box[2] - box[0], box[3] - box[1]
    return {"width": w, "height": h, "length": max(w, h), "area": w * h}[dimension]


PAIRS = [("ladle", "vacuum cleaner"), ("goblin", "griffin"), ("pencil", "door"), ("giraffe", "mouse")]


@pytest.mark.parametrize("relation", sorted(r for r, s in STATED.items() if s is not None))
def test_comparisons_are_drawn_as_stated(relation):
    dimension, subject_bigger = STATED[relation]
    for a, b in PAIRS + [(b, a) for a, b in PAIRS]:
        scene = Scene(objects=[O(name=a), O(name=b)], relations=[Relation(subject=0, relation=relation, object=1)])
        result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="512x512"))
        boxes = {o["index"]: o["instances"][0] for o in result.meta["objects"]}
        subject, obj = _measure(boxes[0], dimension), _measure(boxes[1], dimension)
        assert (subject > obj) if subject_bigger else (obj > subject), f"{a} {relation} {b} ({dimension}): {boxes}"


def _compared_both_ways(a, first, b, second):
    """a ``first`` b, but b ``second`` a (comparative reasoning's hardest grade): their boxes."""
    scene = Scene(objects=[O(name=a), O(name=b)], layout="comparison",
                  relations=[Relation(subject=0, relation=first, object=1), Relation(subject=1, relation=second, object=0)])
    result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="512x512"))
    return {o["index"]: o["instances"][0] for o in result.meta["objects"]}


@pytest.mark.parametrize("a, b", PAIRS + [(b, a) for a, b in PAIRS])
def test_a_pair_compared_both_ways_keeps_its_first_comparison(a, b):
    boxes = _compared_both_ways(a, "larger_than", b, "taller_than")  # "goblin larger than griffin, but ..."
    assert _measure(boxes[0], "area") > _measure(boxes[1], "area"), boxes


@pytest.mark.system("emoji_font")  # "where the shapes allow": the pictograms' shapes
@pytest.mark.parametrize("a, first, b, second", [("bus", "wider_than", "goblin", "taller_than"),
                                                 ("griffin", "larger_than", "giraffe", "taller_than")])
def test_a_pair_compared_both_ways_shows_both_where_the_shapes_allow(a, first, b, second):
    boxes = _compared_both_ways(a, first, b, second)
    assert _measure(boxes[0], STATED[first][0]) > _measure(boxes[1], STATED[first][0]), boxes
    assert _measure(boxes[1], STATED[second][0]) > _measure(boxes[0], STATED[second][0]), boxes


def test_layered_figures_of_different_concepts_look_different():
    def phash(concept, labels):
        scene = Scene(concept=concept, concept_kind="cross_section", labels=labels)
        result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="512x512"))
        return imagehash.phash(Image.open(io.BytesIO(result.image)))

    atmosphere = phash("atmosphere_layers", ["troposphere", "stratosphere", "mesosphere", "thermosphere", "exosphere"])
    station = phash("hydroelectric_station", ["reservoir", "dam", "penstock", "turbine", "generator"])
    assert atmosphere - station > 6


def test_no_two_cross_sections_of_the_pool_are_perceptual_duplicates():
    import itertools

    concepts = [c for name in pools().names() if pools().group(name) == "science" for c in pools()[name]
                if getattr(c, "kind", None) == "cross_section"]
    assert len(concepts) > 10
    hashes = {}
    for c in concepts:
        scene = Scene(concept=c.id, concept_kind="cross_section", labels=list(c.labels))
        result = render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="256x256"))
        hashes[c.id] = imagehash.phash(Image.open(io.BytesIO(result.image)))
    # ogi check calls pictures within 1 bit of each other duplicates (checks.yaml)
    close = [(a, b) for a, b in itertools.combinations(hashes, 2) if hashes[a] - hashes[b] <= 1]
    assert close == []
