"""What an instruction must keep of its spec: the exact text strings and the objects it states
(read from the spec, never from the text), and the per-turn pieces of a multi-turn item.

Used wherever an instruction is rewritten or compared with the plan it came from: the rewrite
prompt names these constraints, ``ogi rewrite`` checks each rewrite against them, and
``analysis.compare`` measures how many items of a rewritten plan kept them. A spec-level
module (it reads specs only), so each of those layers can use it.
"""
from __future__ import annotations

from .scene_edit import EditError, apply_edit
from .spec import InstructionSpec, Scene

__all__ = ["check_rewrite", "must_keep", "units"]


def _edited_parts(spec: InstructionSpec) -> tuple[list[str], list[str]]:
    """(object names, texts) of the source that the edits act on: each edit's target and anchor.

    Indices point into the scene as the edits before it left it (complex edits chain 2-4), so
    the source is walked edit by edit; a sub-instruction such as "remove the mug" then keeps
    its mug whichever edit of the item it is.
    """
    scene, names, texts = spec.source, [], []
    for edit in spec.edits:
        if scene is None:
            break
        if edit.target is not None:
            if edit.op.startswith("text_"):
                texts += [scene.texts[edit.target].text] if edit.target < len(scene.texts) else []
            elif edit.target < len(scene.objects):
                names.append(scene.objects[edit.target].name)
        if edit.anchor is not None and edit.anchor < len(scene.objects):
            names.append(scene.objects[edit.anchor].name)
        try:
            scene = apply_edit(scene, edit, spec.reference).scene
        except (EditError, ValueError, IndexError):  # a loose hand-written edit: check what is known
            break
    return names, texts


def must_keep(spec: InstructionSpec) -> tuple[list[str], list[str]]:
    """(exact text strings, object names) a rewrite must contain.

    Only what the original instruction states verbatim is demanded back: an instruction may
    say "three pairs of boots" for the object "pair of boots", and a rewrite need not do better.
    """
    scenes = [spec.scene] if spec.kind == "generation" and spec.scene else []
    texts = [t.text for s in scenes for t in s.texts] + [e.text.text for e in spec.edits if e.text]
    names = [o.name for s in scenes for o in s.objects] + [e.object.name for e in spec.edits if e.object]
    edited_names, edited_texts = _edited_parts(spec)
    names += edited_names
    texts += edited_texts
    original = spec.instruction.lower()
    return ([t for t in texts if t in spec.instruction],
            list(dict.fromkeys(n for n in names if n.lower() in original)))


def check_rewrite(spec: InstructionSpec, rewritten: str) -> list[str]:
    """Constraints the rewrite lost: missing exact text strings and missing objects."""
    texts, names = must_keep(spec)
    problems = [f"text {t!r} not kept verbatim" for t in texts if t not in rewritten]
    lowered = rewritten.lower()
    problems += [f"object {n!r} missing" for n in names if n.lower() not in lowered]
    if not rewritten.strip():
        problems.append("empty rewrite")
    return problems


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
