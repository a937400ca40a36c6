"""What of a spec gets rewritten (its "units"), and the spec rebuilt from the rewrites.

* A single-turn item is one unit: the spec itself, so its rewrite has the same request key as
  ``ogi generate --rewrite`` gives it (the two share stored results).
* A multi-turn item has one unit per turn: a spec whose instruction and edits are that turn's,
  whose source is the scene as the earlier turns left it (so the constraint lines name the
  right objects), and whose id says which turn it is. The joined instruction is then rebuilt
  by putting each turn's rewrite where its planned text stood.
"""
from __future__ import annotations

from ..scene_edit import EditError, apply_edit
from ..spec import InstructionSpec, RewriteNote, Scene

__all__ = ["rebuild", "units"]


def _scenes_before_turns(spec: InstructionSpec) -> list[Scene | None]:
    """The scene each turn edits: the source, then after each earlier turn's edits.

    A turn whose edits cannot be applied (a hand-written plan may be loose) leaves the scene
    as it was: the constraint lines then name objects by index, which is still checkable.
    """
    scene, scenes = spec.source, []
    for turn in spec.turns:
        scenes.append(scene)
        for edit in turn.edits:
            if scene is None:
                break
            try:
                scene = apply_edit(scene, edit, spec.reference).scene
            except (EditError, ValueError, IndexError):
                break
    return scenes


def units(spec: InstructionSpec) -> list[InstructionSpec]:
    """The specs whose ``instruction`` is rewritten, one request (two on a retry) each."""
    if not spec.turns:
        return [spec]
    return [spec.model_copy(update={"id": f"{spec.id}#turn:{k}", "instruction": turn.instruction,
                                    "edits": list(turn.edits), "turns": [], "source": source})
            for k, (turn, source) in enumerate(zip(spec.turns, _scenes_before_turns(spec)))]


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
