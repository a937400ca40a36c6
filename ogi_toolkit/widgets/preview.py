"""Sketch previews for notebooks: the offline renderer called synchronously.

Backends are async (the runner drives many at once); ``run_sync`` also works inside a
notebook, whose event loop is already running.
"""
from __future__ import annotations

from ..backends.base import ImageRequest
from ..calls import run_sync
from ..spec import InstructionSpec

__all__ = ["preview_png"]


def preview_png(spec: InstructionSpec, size: str = "256x256") -> bytes:
    """PNG bytes of what the sketch renderer draws for ``spec``: the output for generation
    items, the edited result (drawn from its source) for editing items."""
    from ..backends.sketch import SketchBackend

    backend = SketchBackend()
    if spec.kind == "generation":
        return run_sync(backend.generate(ImageRequest(spec.instruction, step="scene", size=size, spec=spec))).image
    source = run_sync(backend.generate(ImageRequest(spec.source.description or "", step="source", size=size, spec=spec))).image
    images = [source]
    if spec.reference is not None:
        ref = ImageRequest(spec.reference.scene.description or "", step="reference", size=size, spec=spec)
        images.append(run_sync(backend.generate(ref)).image)
    if not spec.turns:
        return run_sync(backend.edit(ImageRequest(spec.instruction, step="edit", size=size, images=tuple(images), spec=spec))).image
    for k, turn in enumerate(spec.turns):  # each turn edits the previous turn's output
        request = ImageRequest(turn.instruction, step=f"turn:{k}", size=size, images=tuple(images), spec=spec)
        images[0] = run_sync(backend.edit(request)).image
    return images[0]
