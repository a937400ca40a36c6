"""Sketch renderer 2, point 4: causal and temporal items draw their result and never write it;
point 6: the renderer version is part of every cache key."""
from __future__ import annotations

import re

import pytest

from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import RENDERER_VERSION, SketchBackend, render_request
from ogi_toolkit.calls.keys import image_call_key
from ogi_toolkit.spec import Scene, SceneObject
from ogi_toolkit.templates.sampler import sample
from sketch_fixtures import spec

O = SceneObject


def _draw(scene: Scene):
    return render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size="320x320"))


def _written(result) -> list[str]:
    """Every string the picture writes: texts, the description caption, labels, panel texts."""
    out = [t["text"] for t in result.meta["texts"]]
    out += [result.meta["description_caption"]["text"]] if "description_caption" in result.meta else []
    out += [o["label"] for o in result.meta["objects"]]
    out += [p["text_drawn"] for p in result.meta.get("panels", [])]
    return out


def test_a_causal_effect_is_drawn_not_written():
    scene = Scene(description="a tray of burnt black cookies and a haze of smoke in the kitchen",
                  objects=[O(name="cookie")], layout="causal", background="kitchen")
    result = _draw(scene)
    (cookie,) = result.meta["objects"]
    assert {"char", "smoke"} <= set(cookie["states"])  # the result is in the drawing
    written = " ".join(_written(result)).lower()
    assert "burnt" not in written and "smoke" not in written and "description_caption" not in result.meta


def test_a_stated_state_stays_off_a_causal_label():
    result = _draw(Scene(objects=[O(name="ice cream", attributes={"state": "melted"})], layout="causal"))
    (rec,) = result.meta["objects"]
    assert rec["label"] == "ice cream" and "melt" in rec["states"]


@pytest.mark.parametrize("seed", range(6))
def test_planned_causal_items_never_write_their_effect(seed):
    (case,) = sample("causal_reasoning", 1, seed=seed)
    result = render_request(ImageRequest(prompt=case.instruction, spec=case, step="scene", size="256x256"))
    effect_words = set(re.findall(r"[a-z]{4,}", (case.scene.description or "").lower()))
    effect_words -= {o.name for o in case.scene.objects} | {w for o in result.meta["objects"] for w in o["name"].split()}
    written = set(re.findall(r"[a-z]{4,}", " ".join(_written(result)).lower()))
    assert not written & effect_words, f"{case.instruction!r}: writes {written & effect_words}"
    assert result.meta["objects"]  # and draws something


def test_a_temporal_sequence_numbers_its_panels_and_draws_each_stage():
    scene = Scene(description="panel 1: a tall new candle just lit; panel 2: the candle short and melting; "
                              "panel 3: a candle stub, burnt out", panels=3, layout="panels_comic")
    result = _draw(scene)
    panels = result.meta["panels"]
    assert [p["text_drawn"] for p in panels] == ["1", "2", "3"]
    assert all(p["objects"] == ["candle"] for p in panels)
    states = [o["states"] for o in result.meta["objects"]]
    assert states[0] != states[1] != states[2]  # each stage in its own state
    assert not any("melting" in w or "stub" in w for w in _written(result))


def test_the_renderer_version_is_new_and_in_the_cache_key():
    assert RENDERER_VERSION == "2.2"
    identity = SketchBackend().identity()
    case = spec("x", scene=Scene(objects=[O(name="cat")]))
    now = image_call_key(identity, "generate", prompt="p", size="64x64", step="scene", spec=case)
    old = image_call_key({**identity, "renderer_version": "1.3"}, "generate", prompt="p", size="64x64", step="scene",
                         spec=case)
    assert now != old
