import numpy as np
import pytest
from PIL import Image

from ogi_toolkit.analysis.images import colourfulness, image_near_duplicates, image_stats


def _save(path, array):
    Image.fromarray(array.astype(np.uint8)).save(path)
    return str(path)


def test_colourfulness_by_hand():
    assert colourfulness(np.full((8, 8, 3), 128)) == pytest.approx(0.0)
    # Pure red: rg = 255, yb = 127.5 everywhere, no spread -> 0.3 * hypot(255, 127.5).
    red = np.zeros((4, 4, 3)); red[..., 0] = 255
    assert colourfulness(red) == pytest.approx(0.3 * np.hypot(255, 127.5))


def test_image_stats_brightness_dominant_colours_and_errors(tmp_path):
    img = np.zeros((64, 64, 3)); img[:, :48] = (255, 0, 0)  # three quarters red, a quarter black
    paths = [_save(tmp_path / "a.png", img), str(tmp_path / "missing.png")]
    stats = image_stats(paths)
    assert stats.loc[0, "brightness"] == pytest.approx(0.75 * 0.299 * 255, rel=1e-3)
    assert stats.loc[0, "dominant_colours"].split()[:2] == ["#ff0000", "#000000"]
    assert (stats.loc[0, "width"], stats.loc[0, "height"]) == (64, 64)
    assert "FileNotFoundError" in stats.loc[1, "error"]


def test_perceptual_hash_finds_reencoded_copies_not_different_images(tmp_path):
    rng = np.random.default_rng(0)
    base = np.kron(rng.integers(0, 255, size=(8, 8, 3)), np.ones((32, 32, 1)))  # 256 px blocks
    other = np.kron(rng.integers(0, 255, size=(8, 8, 3)), np.ones((32, 32, 1)))
    a = _save(tmp_path / "a.png", base)
    Image.open(a).convert("RGB").resize((200, 200)).save(tmp_path / "a_small.jpg", quality=80)
    b = _save(tmp_path / "b.png", other)
    pairs = image_near_duplicates([a, b, str(tmp_path / "a_small.jpg")])
    assert list(zip(pairs.i, pairs.j)) == [(0, 2)]
    assert pairs.distance.iloc[0] <= 4
