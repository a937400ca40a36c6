"""The calls one plan item needs, in order, whoever makes them (a live caller or a batch).

* generation: [rewrite] -> generate(step="scene", prompt=instruction)
* single-turn edit: [rewrite] + generate(step="source", prompt=source.description)
  [+ generate(step="reference", prompt=reference.scene.description)]
  -> edit(step="edit", images=(source, reference?), prompt=instruction)
* multi-turn edit: generate(source) -> edit(step="turn:0", images=(source,)) ->
  edit(step="turn:1", images=(turn 0 output,)) -> ..., each with ``turns[k].instruction``.
  Turn instructions are sent as planned (no rewrite).

Calls that do not depend on each other (rewrite, source, reference) are awaited together, so
a live run overlaps them and a batch run puts them in the same round.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol

from ..calls import CallOutcome, ItemFailed, StoredImage
from ..instruction_constraints import check_rewrite
from ..spec import InstructionSpec

__all__ = ["ItemCalls", "ItemWalk", "together", "walk_item"]


class ItemCalls(Protocol):
    """Who makes an item's calls: a live run (:class:`~.item_calls.GenerateCalls`) or a batch round."""

    async def image(self, call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...],
                    spec: InstructionSpec) -> CallOutcome: ...

    async def rewrite(self, spec: InstructionSpec) -> CallOutcome: ...


@dataclass
class ItemWalk:
    """What an item has got so far; partial when a call failed."""

    instruction: str
    original_instruction: str
    calls: dict[str, CallOutcome] = field(default_factory=dict)  # step -> outcome
    input_images: list[str] = field(default_factory=list)
    turn_images: list[str] = field(default_factory=list)
    output_image: str | None = None
    rewrite_problems: list[str] = field(default_factory=list)


async def together(*aws):
    """Await all; then raise the first failure (every call still gets made or recorded)."""
    results = await asyncio.gather(*aws, return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def _description(scene, what: str) -> str:
    if scene is None or not scene.description:
        raise ItemFailed(what, "bad_spec", f"the spec has no {what}.description to generate the {what} image from")
    return scene.description


async def walk_item(spec: InstructionSpec, caller: ItemCalls, walk: ItemWalk, *, rewrite: bool = False) -> ItemWalk:
    """Make (or find in the store) every call of ``spec``, filling ``walk`` as it goes."""

    async def do_rewrite() -> None:
        outcome = await caller.rewrite(spec)
        walk.calls["rewrite"] = outcome
        walk.rewrite_problems = check_rewrite(spec, outcome.text or "")
        if not walk.rewrite_problems:  # a rewrite that lost a constraint is not used
            walk.instruction = outcome.text

    async def image(call: str, step: str, prompt: str, inputs: tuple[StoredImage, ...] = ()) -> StoredImage:
        outcome = await caller.image(call, step, prompt, inputs, spec)
        walk.calls[step] = outcome
        return outcome.image

    # A plan from ``ogi rewrite`` (spec.rewrite set) is rewritten already: not paid for again.
    do_rewrite_too = rewrite and not spec.turns and spec.rewrite is None
    if spec.kind == "generation":
        if do_rewrite_too:
            await do_rewrite()
        walk.output_image = (await image("generate", "scene", walk.instruction)).rel
        return walk

    firsts = [image("generate", "source", _description(spec.source, "source"))]
    if spec.reference is not None:
        firsts.append(image("generate", "reference", _description(spec.reference.scene, "reference")))
    if do_rewrite_too:
        firsts.append(do_rewrite())
    results = await together(*firsts)
    inputs = tuple(r for r in results if isinstance(r, StoredImage))
    walk.input_images = [i.rel for i in inputs]

    if not spec.turns:
        walk.output_image = (await image("edit", "edit", walk.instruction, inputs)).rel
        return walk
    previous = inputs
    for k, turn in enumerate(spec.turns):
        out = await image("edit", f"turn:{k}", turn.instruction, previous)
        walk.turn_images.append(out.rel)
        previous = (out,)
    walk.output_image = walk.turn_images[-1]
    return walk
