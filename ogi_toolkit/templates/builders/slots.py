"""The generic ``slots`` builder: user subtasks written in YAML only, with no code.

``params.slots`` maps a slot name to what fills it::

    params:
      slots:
        animal: {pool: objects, where: {category: animal}}        # one pool item
        fruits: {pool: objects, where: {category: fruit}, k: 2}   # k distinct items (a list)
        colour: {pool: colours, of: animal}                        # attaches to the animal
        n:      {count: [2, 6]}                                    # an integer, both ends included
        place:  {pool: scenes, field: phrase}                      # template sees the item's `phrase`
        mood:   {choice: [calm, busy, eerie]}                      # one of the listed strings

Slots hold canonical ids (numbers for counts); the template sees surface names (a string, or
a list when ``k`` > 1). ``of: <object slot>`` puts a colour / material / size / texture on that
object; ``count: <count slot>`` on an object slot sets how many of it the scene holds. The
scene has one object per item of each ``objects`` slot, a ``scenes`` slot as background and a
``styles`` slot as style. Editing subtasks get the scene as ``source`` (with a description).
"""
from __future__ import annotations

from typing import Any

from ...spec import Scene, SceneObject
from ..grammar import join_and
from .base import BuildContext, Built, register
from .kit import draw

__all__ = ["build_slots", "slot_spec_names"]

_KINDS = ("pool", "count", "choice")
_KEYS = {"pool", "where", "k", "distinct", "of", "count", "choice", "field"}
# qualifier pool -> the SceneObject field an ``of:`` slot fills
_OBJECT_FIELDS = {"colours": "colour", "materials": "material", "sizes": "size"}


def _slot_specs(params: dict) -> dict[str, dict]:
    specs = params.get("slots")
    if not isinstance(specs, dict) or not specs:
        raise ValueError("the 'slots' builder needs params.slots: a mapping of slot name -> {pool: ...} | {count: [lo, hi]} | {choice: [...]}")
    for name, spec in specs.items():
        if not isinstance(spec, dict):
            raise ValueError(f"slots.{name}: expected a mapping, got {spec!r}")
        unknown = sorted(set(spec) - _KEYS)
        if unknown:
            raise ValueError(f"slots.{name}: unknown keys {unknown}; expected some of {sorted(_KEYS)}")
        kinds = [k for k in _KINDS if k in spec and not (k == "count" and "pool" in spec)]
        if len(kinds) != 1:
            raise ValueError(f"slots.{name}: expected exactly one of 'pool', 'count' or 'choice', got {spec}")
        if kinds[0] == "count":
            lo_hi = spec["count"]
            if not (isinstance(lo_hi, list) and len(lo_hi) == 2 and all(isinstance(v, int) for v in lo_hi) and 0 <= lo_hi[0] <= lo_hi[1]):
                raise ValueError(f"slots.{name}.count: expected [low, high] integers with 0 <= low <= high, got {lo_hi!r}")
        if kinds[0] == "choice" and not (isinstance(spec["choice"], list) and spec["choice"]):
            raise ValueError(f"slots.{name}.choice: expected a non-empty list of strings, got {spec['choice']!r}")
        for ref_key in ("of", "count"):
            ref = spec.get(ref_key) if "pool" in spec else None
            if ref is not None and ref not in specs:
                raise ValueError(f"slots.{name}.{ref_key}: {ref!r} is not a slot; slots: {', '.join(specs)}")
    return specs


def slot_spec_names(params: dict) -> list[str]:
    """What templates of a ``slots`` subtask may use: the slot names."""
    return list(_slot_specs(params))


def _surface(item: Any, field: str | None) -> str:
    if field:
        if not hasattr(item, field):
            raise ValueError(f"pool item {item.id!r} has no field {field!r}")
        return getattr(item, field)
    return getattr(item, "name", None) or getattr(item, "text", None) or str(item.id)


@register("slots", params=("slots",), slot_names=slot_spec_names)
def build_slots(ctx: BuildContext) -> Built:
    specs = _slot_specs(ctx.params)
    slots: dict[str, Any] = {}
    words: dict[str, Any] = {}
    items: dict[str, list] = {}
    for name, spec in specs.items():
        if "pool" in spec:
            k = int(spec.get("k", 1))
            where = spec.get("where", {})
            if spec.get("distinct", True):
                picked = draw(ctx, spec["pool"], k, **where)
            else:
                candidates = ctx.pools.filter(spec["pool"], **where)
                if not candidates:
                    raise ValueError(f"pool {spec['pool']!r}: no item matches {where or 'no filter'}")
                picked = [ctx.rng.choice(candidates) for _ in range(k)]
            items[name] = picked
            ids = [p.id for p in picked]
            slots[name] = ids[0] if k == 1 else ids
            surface = [_surface(p, spec.get("field")) for p in picked]
            words[name] = surface[0] if k == 1 else surface
        elif "count" in spec:
            lo, hi = spec["count"]
            slots[name] = words[name] = ctx.rng.randrange(lo, hi + 1)
        else:
            value = ctx.rng.choice(spec["choice"])
            slots[name] = words[name] = value
    return Built(slots=slots, words=words, **_scene(ctx, specs, items, slots))


def _scene(ctx: BuildContext, specs: dict, items: dict, slots: dict) -> dict:
    objects: list[SceneObject] = []
    first_of: dict[str, int] = {}
    scene: dict[str, Any] = {}
    for name, spec in specs.items():
        if spec.get("pool") == "objects":
            first_of[name] = len(objects)
            count = slots[spec["count"]] if spec.get("count") else 1
            for obj in items[name]:
                objects.append(SceneObject(name=obj.name, category=getattr(obj, "category", None), count=max(1, count)))
        elif spec.get("pool") == "scenes":
            scene["background"] = items[name][0].name
        elif spec.get("pool") == "styles":
            scene["style"] = items[name][0].id
            scene["style_family"] = getattr(items[name][0], "family", None)
    for name, spec in specs.items():
        target = spec.get("of")
        if target in first_of and "pool" in spec:
            fld = _OBJECT_FIELDS.get(spec["pool"])
            i = first_of[target]
            value = items[name][0].name
            objects[i] = objects[i].model_copy(update={fld: value} if fld else {"attributes": {**objects[i].attributes, spec["pool"]: value}})
    if not objects and not scene:
        return {}
    if ctx.kind == "editing":
        where = f" {scene['background']}" if scene.get("background") else ""
        names = [ctx.lexicon.a(o.name) if o.count == 1 else ctx.lexicon.count_phrase(o.name, o.count) for o in objects] or ["a scene"]
        description = f"A photo of {join_and(names)}{where}."
        return {"source": Scene(description=description, objects=objects, **scene)}
    return {"scene": Scene(objects=objects, **scene)}
