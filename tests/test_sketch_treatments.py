"""Style, lighting and camera treatments: visible, deterministic and local."""
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ogi_toolkit.backends.sketch.treatments import (
    FAMILY_DEFAULTS, TREATMENTS, apply_lighting, apply_treatment, treatment_for_words,
)
from ogi_toolkit.definition import pool_items

W = 192


def picture(square_colour=(200, 40, 40)) -> Image.Image:
    img = Image.new("RGB", (W, W), (90, 160, 220))
    d = ImageDraw.Draw(img)
    d.ellipse([20, 30, 90, 100], fill=(240, 200, 40), outline=(20, 20, 20), width=3)
    d.rectangle([110, 110, 170, 170], fill=square_colour)
    d.line([(0, 150), (W, 120)], fill=(30, 120, 40), width=6)
    return img


def test_every_treatment_the_style_pool_may_name_is_implemented():
    assert set(pool_items.SKETCH_TREATMENTS) <= set(TREATMENTS)
    assert set(FAMILY_DEFAULTS) == set(pool_items.StyleFamily.__args__)


@pytest.mark.parametrize("name", sorted(TREATMENTS))
def test_treatment_is_visible_deterministic_and_local(name):
    img = picture()
    out = apply_treatment(img, name, seed=5)
    assert out.size == img.size and out.mode == "RGB"
    a = np.asarray(out)
    assert (a != np.asarray(img)).any(axis=-1).mean() > 0.05  # a visible change
    assert np.array_equal(a, np.asarray(apply_treatment(img, name, seed=5)))
    # change the square only: the output changes only near it (within the footprint)
    b = np.asarray(apply_treatment(picture((40, 40, 200)), name, seed=5))
    grow = TREATMENTS[name].footprint(W)
    outside = np.ones((W, W), bool)
    outside[110 - grow:171 + grow, 110 - grow:171 + grow] = False
    assert not (a != b).any(-1)[outside].any()


def test_styles_without_a_pool_entry_get_a_treatment_by_words_or_family():
    assert treatment_for_words("8-bit pixel art", None) == "pixelate"
    assert treatment_for_words("ink wash painting", None) == "ink_wash"
    assert treatment_for_words("neo-cyberpunk", None) == "neon"
    assert treatment_for_words("something unheard of", "photographic") == FAMILY_DEFAULTS["photographic"]
    with pytest.raises(KeyError, match="known"):
        apply_treatment(picture(), "no_such_treatment", 0)


@pytest.mark.parametrize("lighting", ["golden hour", "moonlight", "dramatic spotlight", "backlit", "soft daylight"])
def test_lighting_changes_pixels_one_by_one(lighting):
    img = picture()
    out = np.asarray(apply_lighting(img, lighting)).astype(int)
    assert (out != np.asarray(img)).any()
    other = np.asarray(apply_lighting(picture((40, 40, 200)), lighting)).astype(int)
    changed = (out != other).any(-1)
    assert not changed[:105].any() and not changed[:, :105].any()
    assert apply_lighting(img, None) is img
