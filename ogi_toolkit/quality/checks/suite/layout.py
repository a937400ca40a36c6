"""Spec against layout: where the renderer recorded what it drew (the sketch renderer's
``meta.objects`` and ``meta.texts``), are the spec's objects drawn as many times as it says,
its relations the right way round, and its texts drawn with the exact strings?

Relations are checked only where boxes can tell: left/right, above/below, inside and size
comparisons, for the relation ids whose meaning the renderer's table states (others are
skipped rather than guessed). Pictures drawn as panels, a trajectory or a scientific figure place objects
their own way and are not checked for relations.
"""
from __future__ import annotations

from typing import Any

from ....backends.sketch.vocab import RELATION_KINDS
from ..config import Section
from ..registry import StepImages, register
from ..result import result

__all__ = ["LayoutConfig", "layout_checks"]


class LayoutConfig(Section):
    enabled: bool = True


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _relation_holds(kind: str, a, b) -> bool | None:
    (ax, ay), (bx, by) = _centre(a), _centre(b)
    if kind == "left":
        return ax < bx
    if kind == "above":
        return ay < by
    if kind == "inside":
        return b[0] <= ax <= b[2] and b[1] <= ay <= b[3]
    if kind == "larger":
        return (a[2] - a[0]) * (a[3] - a[1]) > (b[2] - b[0]) * (b[3] - b[1])
    return None


@register("layout", config=LayoutConfig, defaults="layout.yaml", order=40,
          reads="the spec and the renderer's layout record (not the pixels)")
def layout_checks(view: StepImages, cfg: LayoutConfig) -> list[dict[str, Any]]:
    step = view.step
    layout, scene = step.layout, step.scene
    if not cfg.enabled or not layout or scene is None or layout.get("labels") is not None:  # no record, or a scientific figure
        return []
    out = []
    drawn = {r.get("index"): r for r in layout.get("objects", []) if r.get("panel") in (None, 0)}
    for i, obj in enumerate(scene.objects):
        rec = drawn.get(i)
        if rec is None or rec.get("name") != obj.name:
            out.append(result("layout.object_count", 0, obj.count, False, f"{obj.name!r} is not in the layout record",
                              step=step.name, object=obj.name))
            continue
        n = len(rec.get("instances") or [])
        out.append(result("layout.object_count", n, obj.count, n == obj.count,
                          None if n == obj.count else f"{obj.name!r} drawn {n} times, the spec says {obj.count}",
                          step=step.name, object=obj.name))
    whole_picture = layout.get("panels") is not None or layout.get("trajectory") is not None
    for r in scene.relations if not whole_picture else []:
        if r.object is None or r.subject not in drawn or r.object not in drawn:
            continue
        if r.relation not in RELATION_KINDS:
            continue
        kind, swapped = RELATION_KINDS[r.relation]
        # sizes compare the drawings themselves; places compare the boxes with their labels
        field = "instances" if kind == "larger" else "box"
        a, b = (drawn[i][field][0] if field == "instances" else drawn[i][field] for i in (r.subject, r.object))
        holds = _relation_holds(kind, *((b, a) if swapped else (a, b)))
        if holds is None:
            continue
        out.append(result("layout.relation", holds, True, holds, None if holds else f"{r.relation} is drawn the other way",
                          step=step.name, relation=f"{scene.objects[r.subject].name} {r.relation} {scene.objects[r.object].name}"))
    texts = [t for t in layout.get("texts", []) if t.get("index", 0) >= 0]
    for t in scene.texts:
        rec = next((x for x in texts if x.get("text") == t.text), None)
        missing = (rec or {}).get("missing_glyphs") or []
        ok = rec is not None and not missing
        reason = None if ok else "not drawn" if rec is None else f"drawn without glyphs for {''.join(missing)!r}"
        out.append(result("layout.text_drawn", ok, True, ok, reason, step=step.name, text=t.text, script=t.script))
    return out
