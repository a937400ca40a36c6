"""One planned item of every subtask, drawn by the sketch backend: the plan's structure shows."""
import io

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit import planning as plan_module
from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import RENDERER_NOTE, render_request
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.scene_edit import apply_edits, turn_edits
from ogi_toolkit.spec import Scene
from ogi_toolkit.templates.sampler import compiled, sample
from sketch_fixtures import steps_of

SUBTASKS = [s.id for s in load_taxonomy().subtasks]


def test_the_taxonomy_has_51_subtasks():
    assert len(SUBTASKS) == 51


@pytest.mark.parametrize("subtask", SUBTASKS)
def test_a_planned_item_draws_as_its_spec_says(subtask):
    (spec,) = plan_module.plan(counts={subtask: 1}, seed=0)  # every subtask plans: a failure here is a defect
    for step in steps_of(spec):
        result = render_request(ImageRequest(prompt=spec.instruction, spec=spec, step=step, size="256x256"))
        assert Image.open(io.BytesIO(result.image)).size == (256, 256)
        assert result.meta["renderer"] == RENDERER_NOTE
        scene = {"scene": spec.scene, "source": spec.source,
                 "reference": spec.reference.scene if spec.reference else None}.get(step)
        if scene is None:
            edits = spec.edits if step == "edit" else turn_edits(spec, int(step.split(":")[1]))
            scene = apply_edits(spec.source, edits, spec.reference)
        assert [t["text"] for t in result.meta["texts"]] == [t.text for t in scene.texts]
        assert all(t["missing_glyphs"] == [] for t in result.meta["texts"])
        if scene.concept or scene.concept_kind:
            drawn = {label["text"] for label in result.meta["labels"]}
            assert set(scene.labels) <= drawn
        elif not scene.objects and scene.description:  # told in words: the objects it names are drawn
            assert all(o["name"] in scene.description.lower() for o in result.meta["objects"])
        elif not scene.panels:
            counts = {o["index"]: len(o["instances"]) for o in result.meta["objects"]}
            assert counts == {i: o.count for i, o in enumerate(scene.objects)}


def _backdrop(scene: Scene) -> Scene:
    """The same picture with nothing in it: background, lighting, camera and style only."""
    return scene.model_copy(update={"objects": [], "relations": [], "texts": [], "description": None, "labels": [],
                                    "concept": None, "concept_kind": None, "panels": None})


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize("subtask", SUBTASKS)
def test_no_planned_picture_is_blank(subtask):
    """Every grade of every subtask (the builder makes the scene; a template only words it):
    each picture (generated, input, reference, edited, every turn) shows something beyond
    its backdrop on more than 2% of its area, and is not near-uniform."""
    grades = sorted(compiled(load_taxonomy(), subtask).templates)
    for grade in grades:
        (spec,) = sample(subtask, 1, seed=3, difficulty=grade)
        for step in steps_of(spec):
            result = render_request(ImageRequest(prompt=spec.instruction, spec=spec, step=step, size="256x256"))
            drawn = Scene.model_validate(result.meta["scene_drawn"])
            empty = spec.model_copy(update={"kind": "generation", "scene": _backdrop(drawn)})
            backdrop = render_request(ImageRequest(prompt="", spec=empty, step="scene", size="256x256"))
            image, bare = _pixels(result.image), _pixels(backdrop.image)
            body = slice(0, round(256 * 0.94))  # above the caption strip, which names the backdrop
            content = (np.abs(image[body] - bare[body]).max(axis=2) > 24).mean()
            where = f"{subtask} grade {grade} ({spec.template_id}) step {step}: {spec.instruction!r}"
            assert content > 0.02, f"{where}: only {content:.1%} of the picture differs from its bare backdrop"
            assert image[body].std() > 8, f"{where}: the picture is near-uniform"
