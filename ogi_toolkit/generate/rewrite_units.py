"""The spec rebuilt from the rewrites of its units (what of a spec gets rewritten:
:func:`ogi_toolkit.instruction_constraints.units`).

* A single-turn item is one unit: the spec itself, so its rewrite has the same request key as
  ``ogi generate --rewrite`` gives it (the two share stored results).
* A multi-turn item has one unit per turn: a spec whose instruction and edits are that turn's,
  whose source is the scene as the earlier turns left it (so the constraint lines name the
  right objects), and whose id says which turn it is. The joined instruction is then rebuilt
  by putting each turn's rewrite where its planned text stood.
"""
from __future__ import annotations

from ..spec import InstructionSpec, RewriteNote

__all__ = ["rebuild"]


def _joined(planned: str, olds: list[str], news: list[str]) -> str:
    """``planned`` with each turn's planned text replaced by its rewrite, in order.

    When a turn's text is not found verbatim (a hand-written joined instruction), the turns'
    rewrites are joined as "Turn 1: ... Turn 2: ..." instead.
    """
    out, at = [], 0
    for old, new in zip(olds, news):
        found = planned.find(old, at)
        if found < 0:
            return " ".join(f"Turn {k + 1}: {text}" for k, text in enumerate(news))
        out += [planned[at:found], new]
        at = found + len(old)
    return "".join(out) + planned[at:]


def rebuild(spec: InstructionSpec, texts: list[str], note: RewriteNote) -> InstructionSpec:
    """``spec`` with the rewritten ``texts`` (one per unit) in place and ``note`` attached."""
    if not spec.turns:
        return spec.model_copy(update={"instruction": texts[0], "rewrite": note})
    turns = [turn.model_copy(update={"instruction": text}) for turn, text in zip(spec.turns, texts)]
    planned = [turn.instruction for turn in spec.turns]
    note = note.model_copy(update={"turns": planned})
    return spec.model_copy(update={"instruction": _joined(spec.instruction, planned, texts), "turns": turns,
                                   "rewrite": note})
