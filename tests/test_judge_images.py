"""Judge images: found inside the dataset folder only, sent small, unreadable ones are item errors."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from ogi_toolkit.quality.judge.images import ItemImageError, downscaled, image_path


def _png(path, size, mode="RGB", colour=(200, 30, 30)):
    Image.new(mode, size, colour).save(path, format="PNG")
    return path


def test_a_large_image_is_sent_as_jpeg_at_the_long_side(tmp_path):
    sent = Image.open(io.BytesIO(downscaled(_png(tmp_path / "a.png", (1000, 500)), 200)))
    assert sent.format == "JPEG" and sent.size == (200, 100)
    assert sent.getpixel((100, 50))[0] > 180  # still red


def test_a_small_png_goes_as_it_is(tmp_path):
    path = _png(tmp_path / "a.png", (40, 30))
    assert downscaled(path, 200) == path.read_bytes()


def test_transparency_is_flattened_on_white(tmp_path):
    path = _png(tmp_path / "a.png", (400, 400), mode="RGBA", colour=(0, 0, 0, 0))
    sent = Image.open(io.BytesIO(downscaled(path, 100)))
    assert sent.mode == "RGB" and min(sent.getpixel((50, 50))) > 240


def test_a_cut_or_foreign_file_is_the_items_error(tmp_path):
    path = _png(tmp_path / "a.png", (40, 30))
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(ItemImageError, match="not readable"):
        downscaled(path, 200)
    (tmp_path / "b.png").write_text("not an image")
    with pytest.raises(ItemImageError, match="not readable"):
        downscaled(tmp_path / "b.png", 200)


def test_paths_may_not_leave_the_dataset_folder(tmp_path):
    root = tmp_path / "data"
    (root / "images").mkdir(parents=True)
    outside = _png(tmp_path / "secret.png", (4, 4))
    (root / "images" / "link.png").symlink_to(outside)
    _png(root / "images" / "ok.png", (4, 4))
    assert image_path(root, "images/ok.png", "output") == (root / "images" / "ok.png").resolve()
    for rel in ("../secret.png", str(outside), "images/link.png"):
        with pytest.raises(ItemImageError, match="outside the dataset folder"):
            image_path(root, rel, "output")
    with pytest.raises(ItemImageError, match="does not exist"):
        image_path(root, "images/missing.png", "output")
    with pytest.raises(ItemImageError, match="names no input image"):
        image_path(root, None, "input")
