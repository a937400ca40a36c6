"""Image backends behind one interface (``base.Backend``), found by name.

``get_backend("sketch")`` is the offline renderer (free, no key); ``get_backend("openai",
image_model=..., base_url=...)`` talks to the OpenAI API or any compatible server. Backends are
imported only when asked for, so the offline path never imports the OpenAI SDK.
"""
from __future__ import annotations

import importlib
from typing import Any

from .base import Backend, BatchBackend, ImageRequest, ImageResult, Judge, JudgeRequest, TextResult

# name -> (module, class): one line per provider.
BACKENDS: dict[str, tuple[str, str]] = {
    "sketch": ("ogi_toolkit.backends.sketch", "SketchBackend"),
    "sketch-ablated": ("ogi_toolkit.backends.sketch.ablated", "AblatedSketchBackend"),  # a weak baseline
    "openai": ("ogi_toolkit.backends.openai_backend", "OpenAIBackend"),
}

__all__ = ["BACKENDS", "Backend", "BatchBackend", "ImageRequest", "ImageResult", "Judge", "JudgeRequest", "TextResult", "get_backend"]


def get_backend(name: str, *, config: Any = None, **options: Any) -> Backend:
    """Build the backend called ``name`` with its keyword ``options``; ``config``, the run's
    models config, goes to the backends that use one (see ``Backend.from_options``)."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}: expected one of {sorted(BACKENDS)}")
    module_name, class_name = BACKENDS[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls.from_options(options, config)
