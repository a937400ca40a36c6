"""The ``sketch`` backend: the offline default behind the same interface as the API backends.

It is an honest schematic renderer, not a generative model: it draws what an instruction's
structured spec says (labelled shapes at the stated places, exact texts, a visible treatment
per style, labelled scientific figures), deterministically, at no cost. Every result says so
in ``meta["renderer"]``.

Steps (``ImageRequest.step``): ``scene`` draws ``spec.scene``; ``source`` the editing input
``spec.source``; ``reference`` the second input image ``spec.reference.scene``; ``edit``
the source with ``spec.edits`` applied; ``turn:K`` the source with turns 0..K applied. An
edit keeps every untouched object in place; when the request carries the image being edited,
the result is that image with only the changed regions redrawn, and a reference-image edit
cuts its subject out of the second input image.
"""
from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from PIL import Image

from ...spec import Edit, InstructionSpec
from ..base import Backend, ImageRequest, ImageResult, TextResult
from .fidelity import fidelity_of
from .image_diffs import changed_regions, composite, pixels_changed
from .marks import Overlay
from .render import RENDERER_NOTE, png_bytes, prompt_card, render_state
from .state import DrawState, apply_to_state, initial_state

__all__ = ["RENDERER_VERSION", "SketchBackend", "parse_size", "render_request"]

# 2.2: poses for most actions (a change of motion shows), panels in the asked arrangement,
#   weathered and dried states, per-concept science layouts, the fidelity of each item;
# 2.1: "bigger" text outgrows its box, comparisons by stated dimension, layered figures per concept;
# 2.0: pictograms, poses, support and size classes, no answers written, science looks
RENDERER_VERSION = "2.2"
_MAX_SIDE = 4096


def parse_size(size: str) -> tuple[int, int]:
    """ "1536x1024" -> (1536, 1024); ``auto`` is 1024x1024."""
    if size == "auto":
        return 1024, 1024
    try:
        w, h = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise ValueError(f"size {size!r}: expected WIDTHxHEIGHT such as '1024x1024' or '1536x1024'") from None
    if not (16 <= w <= _MAX_SIDE and 16 <= h <= _MAX_SIDE):
        raise ValueError(f"size {size!r}: each side must be between 16 and {_MAX_SIDE} pixels")
    return w, h


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


@dataclass
class _Plan:
    """What one step draws: the state before the last edits (if any) and after them."""

    state: DrawState
    before: DrawState | None = None
    reference_keys: tuple[str, ...] = ()


def _need(value, spec: InstructionSpec, what: str, step: str):
    if value is None:
        raise ValueError(f"spec {spec.id!r} ({spec.subtask}) has no {what}, which step {step!r} draws")
    return value


def _fold(state: DrawState, edits: list[tuple[str, Edit]], spec: InstructionSpec) -> tuple[DrawState, list[str]]:
    ref_keys = []
    for key, edit in edits:
        state = apply_to_state(state, edit, key, spec.seed, spec.reference)
        if spec.reference is not None and edit.op in ("add", "replace") and (
                edit.object is None or edit.object == spec.reference.scene.objects[spec.reference.subject]):
            ref_keys.append(key if edit.op == "add" else state.placements[edit.target].key)
    return state, ref_keys


def _plan(spec: InstructionSpec, step: str, width: int, height: int) -> _Plan:
    if step == "scene":
        return _Plan(initial_state(_need(spec.scene, spec, "scene", step), width, height))
    if step == "reference":
        return _Plan(initial_state(_need(spec.reference, spec, "reference", step).scene, width, height))
    source = initial_state(_need(spec.source, spec, "source scene", step), width, height)
    if step == "source":
        return _Plan(source)
    if step == "edit":
        edits = [(f"e{i}", e) for i, e in enumerate(spec.edits)]
        after, ref = _fold(source, edits, spec)
        return _Plan(after, source, tuple(ref))
    if step.startswith("turn:"):
        try:
            k = int(step.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"step {step!r}: expected 'turn:K' with K an integer") from None
        if not 0 <= k < len(spec.turns):
            raise ValueError(f"step {step!r}: spec {spec.id!r} has {len(spec.turns)} turns (0-based)")
        previous = [(f"t{t}.{i}", e) for t, turn in enumerate(spec.turns[:k]) for i, e in enumerate(turn.edits)]
        before, ref0 = _fold(source, previous, spec)
        after, ref1 = _fold(before, [(f"t{k}.{i}", e) for i, e in enumerate(spec.turns[k].edits)], spec)
        return _Plan(after, before, tuple(ref0 + ref1))
    raise ValueError(f"step {step!r}: expected one of scene, source, reference, edit, turn:K")


def render_request(request: ImageRequest) -> ImageResult:
    """Draw one request (synchronously). See the module docstring for what each step draws."""
    width, height = parse_size(request.size)
    spec = request.spec
    if spec is None:
        base = _open(request.images[0]) if request.images else None
        img, meta = prompt_card(request.prompt, width, height, base)
        meta.update({"step": request.step, "renderer_version": RENDERER_VERSION})
        return ImageResult(png_bytes(img), model="sketch", usage={"cost_usd": 0.0}, meta=meta)
    plan = _plan(spec, request.step, width, height)
    overlays = {}
    if plan.reference_keys:  # the subject is cut out of the second input image
        ref_state = initial_state(spec.reference.scene, width, height)
        ref_image = _open(request.images[1]).resize((width, height)) if len(request.images) > 1 else \
            render_state(ref_state, spec.seed).image
        subject = ref_state.placements[spec.reference.subject]
        live = {p.key for p in plan.state.placements}
        overlays = {key: Overlay(ref_image, subject.instances[0], spec.reference.scene.objects[spec.reference.subject])
                    for key in plan.reference_keys if key in live}
    drawn = render_state(plan.state, spec.seed, overlays)
    meta = dict(drawn.meta)
    meta.update({"step": request.step, "seed": spec.seed, "spec_id": spec.id, "renderer_version": RENDERER_VERSION,
                 "fidelity": fidelity_of(spec),
                 "scene_drawn": plan.state.scene.model_dump(exclude_none=True)})
    image = drawn.image
    if plan.before is not None:
        before = render_state(plan.before, spec.seed)
        regions = changed_regions(before, drawn)
        meta["changed_regions"] = [list(b) for b in regions]
        meta["pixels_changed"] = pixels_changed(before.image, drawn.image, regions)
        if request.images and request.step != "reference":
            # start from the image being edited: only the changed regions are redrawn
            image = composite(_open(request.images[0]), drawn.image, regions)
            meta["composited_on_input"] = True
    if overlays:
        meta["reference_subject"] = {"from_box": list(subject.instances[0]), "keys": sorted(overlays)}
    return ImageResult(png_bytes(image), model="sketch", usage={"cost_usd": 0.0}, meta=meta)


class SketchBackend(Backend):
    """Offline schematic renderer (see the module docstring). No key, no network, no cost."""

    name = "sketch"

    def identity(self) -> dict[str, Any]:
        return {"backend": self.name, "renderer": RENDERER_NOTE, "renderer_version": RENDERER_VERSION,
                "pillow": metadata.version("pillow"), "matplotlib": metadata.version("matplotlib"),
                "numpy": metadata.version("numpy")}

    def fidelity(self, spec: InstructionSpec) -> str | None:
        """``faithful``, ``partial`` or ``placeholder``: see :mod:`.fidelity`."""
        return fidelity_of(spec)

    async def generate(self, request: ImageRequest) -> ImageResult:
        return await asyncio.to_thread(render_request, request)

    async def edit(self, request: ImageRequest) -> ImageResult:
        return await asyncio.to_thread(render_request, request)

    async def rewrite(self, spec: InstructionSpec, problems=()) -> TextResult:
        """The instruction unchanged: a renderer has no language model to rephrase it."""
        return TextResult(text=spec.instruction, model="sketch", usage={"cost_usd": 0.0})
