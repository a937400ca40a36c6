"""Chains of edit operations on one source, for Complex Instruction and Multi-turn Editing.

:func:`plan_kinds` decides which operations a chain has (and which of them act on an object
an earlier one made: "then make the new dog brown"); :func:`prepare_source` builds a source
that offers what they need (enough objects, text surfaces); :func:`run` applies one kind of
operation to the source as it is now, so every index is right for the scene at that point.
"""
from __future__ import annotations

from ogi_toolkit.templates.grammar import normalise

from .object_ops import (Op, material_choices, motion_choices, movable, nameable, op_add, op_alter,
                         op_material, op_motion, op_move, op_remove, op_replace, shuffled_indices)
from .naming import detailed
from ..kit import shuffled
from .sampling import add_twin, build_source
from .source_scenes import Source
from .text_ops import (add_surface, op_text_add, op_text_alter, op_text_remove, op_text_replace, surfaces_for,
                       text_choices)

__all__ = ["OBJECT_KINDS", "TEXT_KINDS", "plan_kinds", "prepare_source", "run", "sentence", "Chain"]

OBJECT_KINDS = ("add", "remove", "replace", "alter")
TEXT_KINDS = ("text_add", "text_replace", "text_alter", "text_remove")
# Multi-turn rounds may also change one object's material, motion or position.
EXTRA_KINDS = ("material", "motion", "move")
# Kinds that can act on an object an earlier operation made (the dependent step).
FOLLOW_UPS = ("alter", "material", "move")


def plan_kinds(ctx, n: int, *, texts: int, extra: bool = False, dependent: int = 0) -> list[tuple[str, bool]]:
    """``n`` operation kinds: ``texts`` of them text edits, ``dependent`` of them acting on
    the object made by the operation just before (which is then an add or a replace).
    Returns [(kind, depends_on_previous)]."""
    rng = ctx.rng
    object_kinds = OBJECT_KINDS + (EXTRA_KINDS if extra else ())
    kinds = [rng.choice(TEXT_KINDS) for _ in range(texts)] + [rng.choice(object_kinds) for _ in range(n - texts)]
    kinds = shuffled(rng, kinds)
    plan = [(kind, False) for kind in kinds]
    # Dependent steps at positions 1, 3 (each right after an add/replace at 0, 2).
    for slot in range(min(dependent, n // 2)):
        at = 2 * slot + 1
        plan[at - 1] = (rng.choice(("add", "replace")), False)
        plan[at] = (rng.choice(FOLLOW_UPS if extra else ("alter",)), True)
    return plan


def prepare_source(ctx, plan: list[tuple[str, bool]], grade: int) -> Source:
    """A source with enough nameable objects for ``plan`` and a surface per text edit."""
    rng = ctx.rng
    needs_object = sum(1 for kind, dep in plan if not dep and kind not in TEXT_KINDS and kind != "add")
    src, t = build_source(ctx, n_objects=needs_object + rng.randrange(1, 3), grade=grade,
                          place_filter=_text_place_filter(ctx, plan))
    if grade >= 2 and len(src.objects) > 3 and rng.random() < 0.5:
        add_twin(ctx, src, rng.randrange(len(src.objects)), same_look=False)
    for kind, _ in plan:
        if kind in TEXT_KINDS:
            add_surface(ctx, src, blank=kind == "text_add", english=True)
    return src


def _text_place_filter(ctx, plan):
    texts = sum(1 for kind, _ in plan if kind in TEXT_KINDS)
    if not texts:
        return None
    return lambda place: len(surfaces_for(ctx, place)) >= texts


class Chain:
    """What a chain has done so far: which objects and strings earlier steps used (by their
    index in the source as it is now, kept right through removals)."""

    def __init__(self, ctx, src: Source, grade: int, labels: dict):
        self.ctx, self.src, self.grade, self.labels = ctx, src, grade, labels
        self.used: set[int] = set()  # objects already edited
        self.used_texts: set[int] = set()
        self.last_made: int | None = None  # the object the previous step added or replaced

    def _free(self, want=None) -> list[int]:
        src = self.src
        free = [i for i in shuffled_indices(self.ctx, src)
                if i not in self.used and src.objects[i].item.category != "surface"
                and (want is None or want(src.objects[i]))]
        return nameable(self.ctx, src, free, self.labels)

    def _removed(self, gone: int) -> None:
        self.used = {i - 1 if i > gone else i for i in self.used if i != gone}

    def run(self, kind: str, dependent: bool) -> list[Op] | None:
        """Apply one operation of ``kind``; None when the source offers nothing for it.
        ``dependent``: act on the object the step before added or replaced."""
        ctx, src, grade = self.ctx, self.src, self.grade
        made, self.last_made = self.last_made, None
        if kind in TEXT_KINDS:
            return self._text(kind)
        if kind == "add":
            anchors = None if grade == 1 and ctx.rng.random() < 0.5 else self._free() or None
            op = op_add(ctx, src, grade, anchors=anchors)
            self.last_made = len(src.objects) - 1
            self.used.add(self.last_made)
            return [op]
        want = {"material": lambda o: bool(material_choices(ctx, o)),
                "motion": lambda o: o.item.id in movable(ctx) and bool(motion_choices(ctx, o))}.get(kind)
        if dependent:
            if made is None or (want is not None and not want(src.objects[made])):
                return None
            targets = [made]
        else:
            targets = self._free(want)
        if not targets:
            return None
        i, labels = targets[0], (self.labels if dependent else None)
        detail = detailed(ctx)
        if kind == "remove":
            op = op_remove(ctx, src, i, detail=detail, new_labels=labels)
            self._removed(i)
            return [op]
        self.used.add(i)
        if kind == "replace":
            self.last_made = i
            return [op_replace(ctx, src, i, grade, detail=detail, new_labels=labels)]
        if kind == "alter":
            return op_alter(ctx, src, i, detail=detail, new_labels=labels)
        if kind == "material":
            return [op_material(ctx, src, i, detail=detail, new_labels=labels)]
        if kind == "motion":
            return [op_motion(ctx, src, i, detail=detail, new_labels=labels)]
        return [op_move(ctx, src, i, anchors=self._free() or None, detail=detail, new_labels=labels)]

    def _text(self, kind: str) -> list[Op] | None:
        ctx, src = self.ctx, self.src
        if kind == "text_add":
            blanks = [k for k, o in enumerate(src.objects) if o.origin == "blank" and k not in self.used]
            if not blanks:
                return None
            k = blanks[0]
            shown = {t.item.id for t in src.texts}
            options = text_choices(ctx, src.objects[k].item, english=True, exclude=shown)
            if not options:
                return None
            self.used.add(k)
            return [op_text_add(ctx, src, k, ctx.rng.choice(options))]
        free = [t for t in range(len(src.texts)) if t not in self.used_texts]
        if not free:
            return None
        t = free[0]
        if kind == "text_remove":
            self.used_texts = {u - 1 if u > t else u for u in self.used_texts}
            return [op_text_remove(ctx, src, t)]
        if kind == "text_replace":
            shown = {text.item.id for text in src.texts}
            options = text_choices(ctx, src.objects[src.texts[t].on].item, english=True, exclude=shown)
            if not options:
                return None
            op = op_text_replace(ctx, src, t, ctx.rng.choice(options))
        else:
            op = op_text_alter(ctx, src, t)[0]
        self.used_texts.add(t)
        return [op]


def run(chain: Chain, plan: list[tuple[str, bool]]) -> list[list[Op]]:
    """Run every step of ``plan`` on ``chain``; a step that cannot run is replaced by an add
    (always possible) so the chain keeps its length. Returns the Ops of each step."""
    steps = []
    for kind, dependent in plan:
        ops = chain.run(kind, dependent) or chain.run("add", False)
        steps.append(ops)
    return steps


def sentence(clause: str) -> str:
    """A clause as a sentence: "remove the mug" -> "Remove the mug."."""
    return normalise(clause)
