"""Sketch renderer 2, point 1: objects a person recognises (pictograms from Noto Color Emoji,
matched through Unicode names, tinted and textured) and backgrounds by scene family."""
from __future__ import annotations

import io
import unicodedata

import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.backends.base import ImageRequest
from ogi_toolkit.backends.sketch import render_request
from ogi_toolkit.backends.sketch.emoji import MAP_PATH, build_mapping, glyph_image
from ogi_toolkit.backends.sketch.vocab import pools
from ogi_toolkit.spec import Scene, SceneObject
from sketch_fixtures import spec

needs_font = pytest.mark.system("emoji_font")
O = SceneObject


def _rows() -> list[list[str]]:
    return [line.split("\t") for line in MAP_PATH.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]


def _draw(scene: Scene, size: str = "320x320"):
    return render_request(ImageRequest(prompt="", spec=spec("x", scene=scene), step="scene", size=size))


def _pixels(result) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(result.image)).convert("RGB"), dtype=np.int16)


def test_the_mapping_file_names_pool_objects_and_real_emoji():
    ids = {o.id for o in pools()["objects"]}
    rows = _rows()
    assert len(rows) > 400  # most of the 890 objects have a pictogram
    for obj_id, name, codes, emoji_name, how in rows:
        chars = "".join(chr(int(c[2:], 16)) for c in codes.split())
        assert obj_id in ids and how in ("alias", "exact", "words")
        assert unicodedata.name(chars[0]) == emoji_name


@needs_font
def test_the_committed_mapping_is_what_the_code_generates():
    assert [tuple(r) for r in _rows()] == build_mapping()


@needs_font
def test_every_mapped_glyph_renders():
    for obj_id, _, codes, emoji_name, _ in _rows():
        glyph = glyph_image("".join(chr(int(c[2:], 16)) for c in codes.split()))
        alpha = np.asarray(glyph.getchannel("A"))
        rgb = np.asarray(glyph.convert("RGB"), dtype=np.int16)
        assert (alpha > 128).sum() > 400, f"{obj_id}: {emoji_name} draws (almost) nothing"
        assert rgb[alpha > 128].std() > 10, f"{obj_id}: {emoji_name} is a flat blob"


@needs_font
def test_the_objects_the_issue_names_are_drawn_as_what_they_are():
    scene = Scene(objects=[O(name=n) for n in ("egg", "fairy", "key", "hourglass", "skyscraper", "set of bagpipes")])
    glyphs = {o["name"]: (o["glyph"], o["glyph_source"]) for o in _draw(scene).meta["objects"]}
    assert glyphs["egg"] == ("EGG", "emoji") and glyphs["fairy"] == ("FAIRY", "emoji")
    assert glyphs["key"] == ("KEY", "emoji") and glyphs["hourglass"] == ("HOURGLASS", "emoji")
    assert glyphs["skyscraper"] == ("OFFICE BUILDING", "emoji")
    assert glyphs["set of bagpipes"][1] == "schematic"  # no pictogram fits: the generic glyph


@needs_font
def test_colour_tints_and_material_textures_the_pictogram():
    def inside(obj):
        result = _draw(Scene(objects=[obj]))
        (rec,) = result.meta["objects"]
        x0, y0, x1, y1 = rec["instances"][0]
        return rec, _pixels(result)[y0:y1, x0:x1]

    plain_rec, plain = inside(O(name="egg"))
    blue_rec, blue = inside(O(name="egg", colour="blue"))
    wood_rec, wood = inside(O(name="egg", material="wood"))
    assert blue_rec["tint"] == "blue" and wood_rec["pattern"] == "wood" and plain_rec["pattern"] is None
    assert blue[..., 2].mean() - blue[..., 0].mean() > plain[..., 2].mean() - plain[..., 0].mean() + 20
    assert (np.abs(wood - plain).max(axis=2) > 30).mean() > 0.15


@pytest.mark.parametrize("background, kind, night", [
    ("kelp forest", "underwater", False), ("coral reef", "underwater", False), ("night market", "city", True),
    ("city street", "street", False), ("kitchen", "indoor", False), ("mountain meadow", "mountain", False),
    ("moonlit beach", "beach", True), ("starry night sky", "night", False),
])
def test_backgrounds_by_scene_family(background, kind, night):
    result = _draw(Scene(objects=[O(name="cat")], background=background))
    assert (result.meta["background"], result.meta["background_night"]) == (kind, night)


def test_a_place_at_night_is_its_place_darkened():
    day, night = _pixels(_draw(Scene(background="city market"))), _pixels(_draw(Scene(background="night market")))
    assert night.mean() < day.mean() * 0.6
