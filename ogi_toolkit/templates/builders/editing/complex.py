"""Complex Instruction Editing builder (``edit_complex``): 2-4 operations in one instruction.

``params: {ops: n}``. Operations come from Subject Manipulation (add, remove, replace,
alter; never extraction) and Text Editing. Grade 1: object edits of objects that are the
only ones of their kind; grade 2: text edits join in and objects need an attribute to be
named; grade 3: a step changes what the step before it made ("then make the new dog
brown") and objects are named by relation. ``edits`` holds every operation in order, each
with its own sentence; the templates join the clauses (``steps``/``steps_ing``).
"""
from __future__ import annotations

from ogi_toolkit.spec import Edit
from ogi_toolkit.templates.grammar import number_word

from ..base import Built, register
from .sequence import Chain, plan_kinds, prepare_source, run, sentence
from .naming import place_words
from .sampling import retrying

__all__ = ["build_complex"]

# Objects an earlier step made are "the new dog" in a one-instruction edit.
NEW_LABELS = {"added": "new", "replaced": "new"}


def _text_count(ctx, n: int) -> int:
    if ctx.difficulty == 1:
        return 0
    if ctx.difficulty == 2:
        return ctx.rng.randrange(0 if n == 2 else 1, (n + 1) // 2 + 1)
    return ctx.rng.randrange(0, 2)


@register("edit_complex", params=("ops",), slot_names=("scene", "scene_in", "this_photo", "the_rest", "steps", "steps_ing", "n_word"))
@retrying
def build_complex(ctx) -> Built:
    n = int(ctx.params.get("ops", 0))
    if not 2 <= n <= 4:
        raise ValueError(f"subtask {ctx.subtask!r}: params.ops must be 2, 3 or 4, got {n!r}")
    grade = ctx.difficulty
    plan = plan_kinds(ctx, n, texts=_text_count(ctx, n), dependent=(n // 2 if grade == 3 else 0))
    src = prepare_source(ctx, plan, grade)
    scene = src.scene(ctx)
    steps = run(Chain(ctx, src, grade, NEW_LABELS), plan)
    edits = []
    for ops in steps:
        for op in ops:
            edits.append(Edit.record(**{**op.edit, "instruction": sentence(ops[0].clause)}))
    words = {**place_words(ctx, src.place), "steps": [ops[0].clause for ops in steps],
             "steps_ing": [ops[0].ing for ops in steps], "n_word": number_word(n)}
    slots = {"scene": src.place.id, "ops": [ops[0].slot for ops in steps]}
    return Built(slots=slots, words=words, source=scene, edits=edits)
