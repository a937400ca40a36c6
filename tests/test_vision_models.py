"""Loading, preprocessing, batching, caching and device choice of the vision models, with tiny
random models loaded by path (the same function loads hub names)."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from PIL import Image

from tests.vision_fixtures import tiny_models  # noqa: F401
from ogi_toolkit.vision import (
    VisionModelError, detect, embed_images, embed_texts, image_embeddings, load_model, load_vision_config,
    resolve_device, text_embeddings,
)


def _image(path, colour, size=(48, 40)):
    rng = np.random.default_rng(sum(colour))
    pixels = np.clip(np.array(colour)[None, None, :] + rng.integers(-30, 30, (size[1], size[0], 3)), 0, 255)
    Image.fromarray(pixels.astype("uint8")).save(path)
    return path


@pytest.fixture(scope="module")
def clip(tiny_models):
    return load_model("clip", str(tiny_models["clip"]), device="cpu")


def test_clip_embeddings_are_unit_rows_of_the_projection_size(clip, tmp_path):
    images = [Image.open(_image(tmp_path / f"{i}.png", (40 * i, 100, 200))) for i in range(5)]
    X = embed_images(clip, images, batch_size=2)
    assert X.shape == (5, 16) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-5)
    T = embed_texts(clip, ["a red apple", "two dogs", "a very long caption " * 20])
    assert T.shape == (3, 16)  # the long one is cut at the model's text length, not an error


def test_batching_does_not_change_the_vectors(clip, tmp_path):
    images = [Image.open(_image(tmp_path / f"{i}.png", (30 * i, 60, 90), size=(30 + 7 * i, 50))) for i in range(5)]
    assert np.allclose(embed_images(clip, images, batch_size=1), embed_images(clip, images, batch_size=5), atol=1e-5)


def test_preprocessing_resizes_any_image_to_the_model_input(clip):
    pixels = clip.processor(images=[Image.new("RGB", (300, 90)), Image.new("RGB", (20, 70))],
                            return_tensors="pt")["pixel_values"]
    assert tuple(pixels.shape) == (2, 3, 32, 32)
    assert "Pil" in type(clip.processor.image_processor).__name__  # no torchvision needed


def test_dino_embeddings(tiny_models, tmp_path):
    dino = load_model("dino", str(tiny_models["dino"]))
    X = embed_images(dino, [Image.open(_image(tmp_path / "a.png", (10, 200, 10)))] * 3)
    assert X.shape == (3, 32) and np.allclose(X[0], X[2])
    with pytest.raises(ValueError, match="no text encoder"):
        embed_texts(dino, ["a cat"])


def test_image_embeddings_are_cached_by_file_content(clip, tmp_path, monkeypatch):
    a = _image(tmp_path / "a.png", (200, 10, 10))
    b = _image(tmp_path / "b.png", (10, 10, 200))
    copy = tmp_path / "copy-of-a.png"
    copy.write_bytes(a.read_bytes())
    first = image_embeddings(clip, [a, b, copy], cache_dir=tmp_path / "cache")
    assert np.allclose(first[0], first[2])
    calls = []
    monkeypatch.setattr("ogi_toolkit.vision.embeddings.embed_images", lambda *a, **k: calls.append(1))
    again = image_embeddings(clip, [copy, b], cache_dir=tmp_path / "cache")
    assert calls == [] and np.allclose(again, first[[2, 1]])
    texts = text_embeddings(clip, ["a cat", "a dog"], cache_dir=tmp_path / "cache")
    assert np.allclose(texts, embed_texts(clip, ["a cat", "a dog"]), atol=1e-6)


def test_a_retrained_model_in_the_same_folder_misses_the_cache(tmp_path):
    from tests.vision_fixtures import make_tiny_clip

    image = _image(tmp_path / "a.png", (200, 10, 10))
    folder = make_tiny_clip(tmp_path / "m", seed=0)
    first = image_embeddings(load_model("clip", str(folder)), [image], cache_dir=tmp_path / "cache")
    make_tiny_clip(folder, seed=1)
    second = image_embeddings(load_model("clip", str(folder)), [image], cache_dir=tmp_path / "cache")
    assert not np.allclose(first, second)


def test_detector_boxes_are_in_image_pixels_and_cached(tiny_models, tmp_path, monkeypatch):
    owl = load_model("detector", str(tiny_models["detector"]))
    wide = _image(tmp_path / "wide.png", (50, 50, 50), size=(120, 60))
    found = detect(owl, [wide, wide], [["cat", "dog"], ["cat"]], batch_size=2, cache_dir=tmp_path / "cache")
    assert set(found[0]) == {"cat", "dog"} and set(found[1]) == {"cat"}
    boxes = found[0]["cat"]
    assert boxes and all(0.01 <= b.score <= 1 for b in boxes)
    # OWLv2 pads to a square: centres lie within the padded side (120), x and y alike
    assert all(-1 <= b.centre[0] <= 121 and -1 <= b.centre[1] <= 121 for b in boxes)
    monkeypatch.setattr("ogi_toolkit.vision.detection._forward", lambda *a: pytest.fail("ran the model again"))
    again = detect(owl, [wide], [["dog", "cat"]], cache_dir=tmp_path / "cache")
    assert again[0]["cat"] == found[0]["cat"]


def test_device_choice():
    import torch

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            resolve_device("cuda")
    with pytest.raises(ValueError, match="expected auto, cpu"):
        resolve_device("tpu")


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="no CUDA GPU on this machine")
def test_fp16_on_gpu(tiny_models):
    clip = load_model("clip", str(tiny_models["clip"]), device="cuda")
    assert str(clip.dtype) == "torch.float16"
    assert embed_texts(clip, ["a cat"]).dtype == np.float32


def test_an_unknown_name_offline_says_which_model_and_how_to_provide_it(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(VisionModelError) as err:
        load_model("detector", "nobody/no-such-detector")
    message = str(err.value)
    assert "'nobody/no-such-detector'" in message and "HF_HUB_OFFLINE=1" in message
    assert "hf download nobody/no-such-detector" in message and "--detector PATH" in message


def test_a_model_of_the_wrong_kind_is_refused(tiny_models):
    with pytest.raises(VisionModelError, match="supported: owlv2"):
        load_model("detector", str(tiny_models["clip"]))


def test_without_transformers_the_error_is_the_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ImportError, match=r"pip install 'ogi-toolkit\[vision\]'"):
        load_model("clip", "openai/clip-vit-base-patch32")


def test_the_defaults_name_their_licences():
    config = load_vision_config()
    assert config.default_name("clip") == "openai/clip-vit-base-patch32"
    assert config.default_name("dino") == "facebook/dinov2-small"
    assert config.default_name("detector") == "google/owlv2-base-patch16-ensemble"
    assert all(getattr(config.models, role).licence for role in ("clip", "dino", "detector"))


def test_a_bad_models_file_names_the_key(tmp_path):
    text = load_vision_config.__globals__["DEFAULT_VISION_FILE"].read_text().replace("licence: Apache-2.0", "licence: [1]", 1)
    (tmp_path / "v.yaml").write_text(text)
    with pytest.raises(ValueError, match=r"v.yaml: models.dino.licence"):
        load_vision_config(tmp_path / "v.yaml")


def test_a_bad_vision_threshold_names_the_section_and_key(tmp_path):
    from ogi_toolkit.quality.checks.config import load_checks_config

    (tmp_path / "checks.yaml").write_text("vision: {min_directional: 3}\n")
    with pytest.raises(ValueError, match="vision.min_directional"):
        load_checks_config(tmp_path / "checks.yaml")
