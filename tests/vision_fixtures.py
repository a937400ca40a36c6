"""Tiny randomly initialised vision models (:func:`ogi_toolkit.vision.random_models.build_random_model`),
saved to a folder, so the tests load them by path through the same ``load_model`` a user runs
with a hub name."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("transformers", reason="the vision extra (transformers) is not installed")

from ogi_toolkit.vision.random_models import build_random_model  # noqa: E402


def make_tiny_clip(folder: Path, seed: int = 0) -> Path:
    return build_random_model("clip", folder, seed=seed)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """{role: folder} of a tiny CLIP, DINOv2 and OWLv2."""
    root = tmp_path_factory.mktemp("vision-models")
    return {role: build_random_model(role, root / role) for role in ("clip", "dino", "detector")}
