"""ogi-toolkit: build, generate and analyse instruction datasets for image generation and editing.

    from ogi_toolkit import load_taxonomy, load_pools, sample, plan, run_plan, load_dataset, analyse
    specs = plan(total=500, seed=0)              # the paper's distribution, scaled
    run_plan(specs, "data/run1")                 # offline sketch renderer; backend="openai" for the API
    analyse("data/run1", "reports/run1")         # diversity, repetition, bias, UMAP

Names are imported on first use, so ``import ogi_toolkit`` stays fast (no torch, no SDK).
"""
from __future__ import annotations

import importlib

from .spec import Edit, InstructionSpec, Reference, Relation, Scene, SceneObject, TextItem, Turn

# public name -> module that defines it
_LAZY = {
    "load_taxonomy": "ogi_toolkit.definition.taxonomy",
    "load_pools": "ogi_toolkit.definition.pools",
    "sample": "ogi_toolkit.templates.sampler",
    "plan": "ogi_toolkit.planning.planner",
    "to_frame": "ogi_toolkit.planning.planner",
    "run_plan": "ogi_toolkit.generate.runner",
    "dry_run": "ogi_toolkit.generate.dry_run",
    "load_dataset": "ogi_toolkit.dataset.manifest",
    "analyse": "ogi_toolkit.analysis.report",
    "check": "ogi_toolkit.quality.checks.checking",
    "filter_dataset": "ogi_toolkit.quality.filtering",
    "get_backend": "ogi_toolkit.backends",
    "calibrate": "ogi_toolkit.calibration",
}

__all__ = [
    "Edit", "InstructionSpec", "Reference", "Relation", "Scene", "SceneObject", "TextItem", "Turn",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ogi_toolkit' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
