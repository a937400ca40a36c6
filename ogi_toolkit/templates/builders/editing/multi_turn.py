"""Multi-turn Editing builder (``edit_multi_turn``): 2-4 rounds, each editing the last result.

``params: {turns: n}``. Each round is a ``Turn`` with its own instruction and edits, whose
indices point into the scene as the earlier rounds left it. Grade 1: independent rounds;
grade 2: a round changes what an earlier round made ("Now make the dog you added brown",
"move the new woodpecker next to the hen");
grade 3: more such rounds, and one round asks for two edits at once.
"""
from __future__ import annotations

from ogi_toolkit.spec import EARLIER_TURN_LABELS, Edit, Turn
from ogi_toolkit.templates.grammar import number_word

from ..base import Built, register
from .sequence import Chain, plan_kinds, prepare_source, run, sentence
from .naming import place_words
from .sampling import retrying

__all__ = ["build_multi_turn"]

# In a conversation, objects an earlier round made are "the dog you added".
NEW_LABELS = EARLIER_TURN_LABELS
# How later rounds may open ("Now remove the mug.").
OPENERS = ("", "now", "next,", "then", "this time,", "after that,", "as a next step,", "on top of that,",
           "following that,", "for this round,")


@register("edit_multi_turn", params=("turns",), slot_names=("scene", "scene_in", "this_photo", "the_rest", "turns", "clauses", "n_word"))
@retrying
def build_multi_turn(ctx) -> Built:
    n = int(ctx.params.get("turns", 0))
    if not 2 <= n <= 4:
        raise ValueError(f"subtask {ctx.subtask!r}: params.turns must be 2, 3 or 4, got {n!r}")
    grade, rng = ctx.difficulty, ctx.rng
    dependent = {1: 0, 2: 1, 3: max(1, n // 2)}[grade]
    texts = 1 if rng.random() < 0.3 else 0
    plan = plan_kinds(ctx, n, texts=texts, extra=True, dependent=dependent)
    double = rng.randrange(n) if grade == 3 else None  # this round holds two edits
    full_plan = plan + ([("alter", False)] if double is not None else [])
    src = prepare_source(ctx, full_plan, grade)
    scene = src.scene(ctx)
    chain = Chain(ctx, src, grade, NEW_LABELS)
    rounds = [ops for ops in run(chain, plan[: double + 1] if double is not None else plan)]
    if double is not None:  # the extra edit joins round ``double``; later rounds follow it
        made = chain.last_made  # an add or alter shifts no index, so a later round may still refer to it
        rounds[double] = rounds[double] + run(chain, [(rng.choice(("add", "alter")), False)])[0]
        chain.last_made = made
        rounds += run(chain, plan[double + 1:])
    turns, clauses, slots = [], [], []
    for r, ops in enumerate(rounds):
        heads = [op for k, op in enumerate(ops) if k == 0 or op.clause != ops[k - 1].clause]
        clause = " and ".join(op.clause for op in heads)
        opener = rng.choice(OPENERS) if r > 0 else ""
        clauses.append(clause)
        turns.append(Turn.record(instruction=sentence(f"{opener} {clause}"),
                          edits=[Edit.record(**{**op.edit, "instruction": sentence(op.clause)}) for op in ops]))
        slots.append([op.slot for op in heads])
    words = {**place_words(ctx, src.place), "turns": [t["instruction"] for t in turns], "clauses": clauses,
             "n_word": number_word(n)}
    return Built(slots={"scene": src.place.id, "turns": slots}, words=words, source=scene, turns=turns)
