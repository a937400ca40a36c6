"""Edit operations on the objects of a source: sample one, record its ``Edit``, apply it.

Each ``op_*`` function picks what to change in a :class:`Source`, changes the source the
way ``ogi_toolkit.scene_edit.apply_edits`` will (so the next edit's indices are right) and
returns an :class:`Op`: the ``Edit``, a clause that says it ("remove the blue mug"; complex
and multi-turn items join these), the canonical slot and the words the single-operation
templates print. Single-operation builders (subject.py, other.py) and the sequence builders
(complex.py, multi_turn.py) share them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ogi_toolkit.spec import Edit

from .naming import location_phrases, refer
from ..kit import SIZE_RANK, Obj, changed, dress, looks, memo, phrases, shuffled
from .sampling import Resample, fits
from .source_scenes import Source, pronouns

__all__ = ["Op", "ING", "op_add", "op_remove", "op_replace", "op_alter", "op_material",
           "op_motion", "op_move", "place_phrase", "shuffled_indices", "new_object", "nameable",
           "alter_choices", "textures_for", "describe_value", "motion_choices", "movable", "material_choices", "rematerialable"]

# -ing forms of the verbs clauses start with (so "remove X" can read "removing X").
ING = {
    "add": "adding", "put": "putting", "place": "placing", "insert": "inserting",
    "remove": "removing", "erase": "erasing", "delete": "deleting", "take out": "taking out",
    "get rid of": "getting rid of", "replace": "replacing", "swap": "swapping", "turn": "turning",
    "exchange": "exchanging", "make": "making", "change": "changing", "give": "giving",
    "dress": "dressing", "move": "moving", "shift": "shifting", "write": "writing",
    "letter": "lettering", "paint": "painting", "rewrite": "rewriting", "restyle": "restyling",
    "wipe": "wiping", "show": "showing", "remake": "remaking", "have": "having",
}
# Relations a new or moved object is put in, relative to an anchor object.
PLACE_RELATIONS = ("next_to", "left_of", "right_of", "in_front_of", "behind", "on_top_of", "under")


@dataclass
class Op:
    edit: Edit
    verb: str  # the clause's verb, base form ("take out")
    rest: str  # the rest of the clause ("the blue mug")
    slot: dict  # canonical ids of what the operation says
    words: dict = field(default_factory=dict)  # surface words for single-operation templates

    @property
    def clause(self) -> str:
        return f"{self.verb} {self.rest}"

    @property
    def ing(self) -> str:
        return f"{ING[self.verb]} {self.rest}"


def _target(ctx, src: Source, i: int, detail: bool, new_labels: dict | None, use_material: bool = True):
    named = refer(ctx, src, i, detail=detail, new_labels=new_labels, use_material=use_material)
    if named is None:
        raise Resample(f"object {i} ({src.objects[i].item.id}) cannot be named without ambiguity")
    return named


def nameable(ctx, src: Source, candidates, new_labels: dict | None = None, use_material: bool = True) -> list[int]:
    """The indices among ``candidates`` that :func:`refer` can single out."""
    return [i for i in candidates if refer(ctx, src, i, new_labels=new_labels, use_material=use_material) is not None]


# --- placing a new or moved object --------------------------------------------------------

def place_phrase(ctx, src: Source, obj: Obj, *, anchors: list[int] | None,
                 moving: bool = False) -> tuple[str, dict, str | None, int | None]:
    """Where ``obj`` goes: (phrase, slot, relation id, anchor index). Next to, on, under...
    the first of ``anchors`` that can be named and fits ("next to the wooden bench"); a
    region of the frame when ``anchors`` is None or none fits."""
    rng = ctx.rng
    for j in anchors or ():
        named = refer(ctx, src, j)
        options = [r for r in PLACE_RELATIONS if fits(obj, src.objects[j], r)]
        if named is None or not options:
            continue
        rel = rng.choice(options)
        # A destination reads best with the canonical phrase ("move it to the left of").
        ways = location_phrases(ctx, rel)
        phrase = ("onto" if rel == "on_top_of" else ways[0]) if moving else rng.choice(ways)
        return f"{phrase} {named[0]}", {"relation": rel, "anchor": named[1]}, rel, j
    regions = phrases()["regions"]  # where an object goes in the frame: id -> ways to say it
    region = rng.choice(tuple(regions))
    return rng.choice(regions[region]["to" if moving else "at"]), {"region": region}, None, None


def shuffled_indices(ctx, src: Source, exclude: tuple[int, ...] = ()) -> list[int]:
    return [j for j in shuffled(ctx.rng, range(len(src.objects))) if j not in exclude]


# --- the operations -------------------------------------------------------------------------

def new_object(ctx, src: Source, grade: int, *, like: Obj | None = None, count: int = 1) -> Obj:
    """A new object for ``src``: plausible in its place, not there yet; with a colour from
    grade 2 and a material at grade 3. ``like``: similar to this one (same animacy, size
    within one class; the same category half the time)."""
    rng = ctx.rng
    present = {o.item.id for o in src.objects}
    pool = ctx.index.candidates[src.place.id]
    size = SIZE_RANK[like.item.size_class] if like is not None else 0
    same_category = like is not None and rng.random() < 0.5
    for attempt in range(60):  # by rejection: cheaper than filtering the list for every item
        item = rng.choice(pool)
        if item.id in present:
            continue
        if like is not None and (item.animate != like.item.animate or abs(SIZE_RANK[item.size_class] - size) > 1
                                 or (same_category and attempt < 30 and item.category != like.item.category)):
            continue
        return dress(ctx, item, ("colour",) * (grade >= 2) + ("material",) * (grade >= 3), count=count)
    raise Resample(f"no new object fits {src.place.id!r}")


def op_add(ctx, src: Source, grade: int, *, obj: Obj | None = None, anchors: list[int] | None = None) -> Op:
    """Add ``obj`` (or a new object for ``grade``) next to/on/under... the first of ``anchors``
    that fits, or in a region of the frame when ``anchors`` is None."""
    obj = obj or new_object(ctx, src, grade)
    where, where_slot, rel, anchor = place_phrase(ctx, src, obj, anchors=anchors)
    scene_obj = obj.scene_object()
    if rel is None:
        scene_obj["attributes"]["position"] = where_slot["region"]
    edit = Edit.record(op="add", object=scene_obj, relation=rel, anchor=anchor)
    src.objects.append(changed(obj, origin="added"))
    if rel is not None:
        src.relations.append((len(src.objects) - 1, rel, anchor))
    new = obj.indefinite(ctx.lexicon)
    verb = ctx.rng.choice(("add", "put", "place", "insert"))
    return Op(edit, verb, f"{new} {where}", {"op": "add", "object": obj.slot(), **where_slot},
              {"new": new, "new_name": obj.item.name, "place": where, **pronouns(obj)})


def op_remove(ctx, src: Source, i: int, *, detail: bool = False, new_labels: dict | None = None) -> Op:
    phrase, slot = _target(ctx, src, i, detail, new_labels)
    obj = src.objects[i]
    words = {"target": phrase, "target_name": obj.noun, **pronouns(obj)}
    src.remove(i)
    verb = ctx.rng.choice(("remove", "erase", "delete", "take out", "get rid of"))
    return Op(Edit.record(op="remove", target=i), verb, phrase, {"op": "remove", "target": slot}, words)


def op_replace(ctx, src: Source, i: int, grade: int, *, detail: bool = False, new_labels: dict | None = None) -> Op:
    phrase, slot = _target(ctx, src, i, detail, new_labels)
    old = src.objects[i]
    new = new_object(ctx, src, grade, like=old)
    new_np = new.indefinite(ctx.lexicon)
    src.objects[i] = changed(new, origin="replaced")
    verb, rest = ctx.rng.choice((("replace", f"{phrase} with {new_np}"), ("swap", f"{phrase} for {new_np}"),
                                ("turn", f"{phrase} into {new_np}"), ("exchange", f"{phrase} for {new_np}")))
    return Op(Edit.record(op="replace", target=i, object=new.scene_object()), verb, rest,
              {"op": "replace", "target": slot, "object": new.slot()},
              {"target": phrase, "target_name": old.noun, "new": new_np, "new_name": new.item.name, **pronouns(old)})


def alter_choices(ctx, obj: Obj) -> dict:
    """attribute -> plausible new values for ``obj``: colour (clothes, for people), material
    (only those English has an adjective for — "wooden", "woollen"; the rest is Change
    Material's), texture (things only) and size (not people)."""
    pools = ctx.pools
    out = {}
    colours, materials = looks(ctx, obj.item)
    colours = [c for c in colours if obj.colour is None or c.id != obj.colour.id]
    if colours:
        out["colour"] = colours
    materials = [m for m in materials if m.adjective != m.name and (obj.material is None or m.id != obj.material.id)]
    if materials:
        out["material"] = materials
    if not obj.item.animate:
        out["texture"] = [t for t in textures_for(ctx, obj) if obj.texture is None or t.id != obj.texture.id]
    if not obj.item.person:
        rank = obj.size.rank if obj.size is not None else 4
        out["size"] = [s for s in pools["sizes"] if abs(s.rank - rank) >= 2 and 2 <= s.rank <= 7]
    return {k: v for k, v in out.items() if v}


def textures_for(ctx, obj: Obj) -> list:
    """Textures that suit what ``obj`` is made of (no "knitted golf club"): those for any
    material, and those for its material's family."""
    family = obj.material.family if obj.material is not None else None
    return [t for t in ctx.pools["textures"] if not getattr(t, "families", ()) or family in t.families]


def describe_value(obj: Obj, attribute: str, value) -> str:
    """How a template says a value as a predicate: "red", "wooden", "glossy", "huge";
    for people's colour, their clothes: "dressed in red"."""
    if attribute == "material":
        return value.adjective
    if attribute == "colour" and obj.item.person:
        return f"dressed in {value.name}"
    return value.name


def _attribute_noun(obj: Obj, attribute: str) -> str:
    return "clothing colour" if attribute == "colour" and obj.item.person else attribute


def op_alter(ctx, src: Source, i: int, changes: list[tuple[str, object]] | None = None, *,
             detail: bool = False, new_labels: dict | None = None) -> list[Op]:
    """Change attributes of object ``i``; ``changes`` [(attribute, new value item)] or one
    sampled. One Op per attribute (they share the clause of the first)."""
    obj = src.objects[i]
    # The object is named by what it looks like *before* the change.
    phrase, slot = _target(ctx, src, i, detail, new_labels)
    if changes is None:
        choices = alter_choices(ctx, obj)
        if not choices:
            raise Resample(f"nothing about {obj.item.id!r} can be altered")
        attribute = ctx.rng.choice(sorted(choices))
        changes = [(attribute, ctx.rng.choice(choices[attribute]))]
    old_words = [describe_value(obj, attr, getattr(obj, attr)) for attr, _ in changes if getattr(obj, attr) is not None]
    new = changed(obj)
    edits = []
    for attribute, value in changes:
        setattr(new, attribute, value)
        edits.append(Edit.record(op="alter", target=i, attribute=attribute, value=value.name))
    src.objects[i] = new
    make = " and ".join(describe_value(obj, attr, v) for attr, v in changes)
    attrs = " and ".join(_attribute_noun(obj, attr) for attr, _ in changes)
    if obj.item.person and changes[0][0] == "colour":
        colour = changes[0][1].name
        # "dress the girl in blue in red" would be unclear when the girl is named by her clothes
        verb, rest = ("change", f"the clothes of {phrase} to {colour}") if " in " in phrase else ("dress", f"{phrase} in {colour}")
    else:
        options = [("make", f"{phrase} {make}"), ("turn", f"{phrase} {make}"),
                   ("change", f"the {attrs} of {phrase} to {make}")]
        if attrs in ("colour", "texture"):  # "give the mug a glossy texture"
            options.append(("give", f"{phrase} {ctx.lexicon.a(make)} {attrs}"))
        verb, rest = ctx.rng.choice(options)
    slot = {"op": "alter", "target": slot, "changes": {attr: v.id for attr, v in changes}}
    words = {"target": phrase, "target_name": obj.noun, "make": make, "attrs": attrs,
             "old": " and ".join(old_words) if len(old_words) == len(changes) else "", **pronouns(obj)}
    ops = [Op(edit, verb, rest, slot, words) for edit in edits]
    return ops


# Material families that look alike (aluminium to gold is a change of metal, not of look).
_LOOK = {"precious": "metal"}


def material_choices(ctx, obj: Obj) -> list:
    """Plausible materials for ``obj`` that look unlike its current one: another family (not
    oak to pine, not aluminium to gold: the change must show), and none that names a colour
    when the object has one (a "gold" mug that stays blue)."""
    family = _LOOK.get(obj.material.family, obj.material.family) if obj.material is not None else None
    says_colour = ctx.index.colour_words if obj.colour is not None else frozenset()
    return [m for m in looks(ctx, obj.item)[1]
            if _LOOK.get(m.family, m.family) != family and not says_colour & {m.name, m.adjective}]


def rematerialable(ctx) -> frozenset:
    """Ids of objects with plausible materials of at least two families (Change Material)."""
    return memo(ctx, "rematerialable", lambda: frozenset(
        o.id for o in ctx.pools["objects"] if len({_LOOK.get(m.family, m.family) for m in looks(ctx, o)[1]}) >= 2))


def op_material(ctx, src: Source, i: int, material=None, *, detail: bool = False, new_labels: dict | None = None) -> Op:
    obj = src.objects[i]
    phrase, slot = _target(ctx, src, i, detail, new_labels, use_material=False)
    material = material or ctx.rng.choice(material_choices(ctx, obj))
    src.objects[i] = changed(obj, material=material)
    new_look = ctx.lexicon.a(f"{material.adjective} {obj.item.name}")
    verb, rest = ctx.rng.choice((("make", f"{phrase} out of {material.name}"), ("turn", f"{phrase} into {new_look}"),
                                ("remake", f"{phrase} in {material.name}")))
    return Op(Edit.record(op="material", target=i, value=material.name), verb, rest,
              {"op": "material", "target": slot, "material": material.id},
              {"target": phrase, "target_name": obj.noun, "material": material.name,
               "material_adj": material.adjective, "new_look": new_look,
               "old_material": obj.material.name if obj.material else "",
               "old_material_adj": obj.material.adjective if obj.material else "", **pronouns(obj)})


def motion_choices(ctx, obj: Obj) -> list:
    """Poses ``obj`` can plausibly take (its intransitive actions: no barking pelican),
    other than what it does now."""
    return [act for act in ctx.pools.actions_for(obj.item.id, transitive=False)
            if obj.action is None or act.id != obj.action.id]


def movable(ctx) -> frozenset:
    """Ids of the people and animals with at least two poses (Change Motion targets)."""
    return memo(ctx, "movable", lambda: frozenset(
        o.id for o in ctx.pools["objects"] if o.animate and len(ctx.pools.actions_for(o.id, transitive=False)) >= 2))


def op_motion(ctx, src: Source, i: int, action=None, *, detail: bool = False, new_labels: dict | None = None) -> Op:
    obj = src.objects[i]
    phrase, slot = _target(ctx, src, i, detail, new_labels)
    action = action or ctx.rng.choice(motion_choices(ctx, obj))
    src.objects[i] = changed(obj, action=action)
    verb, rest = ctx.rng.choice((("make", f"{phrase} {action.name}"), ("show", f"{phrase} {action.ing}"),
                                ("have", f"{phrase} {action.name}")))
    return Op(Edit.record(op="motion", target=i, value=action.ing), verb, rest,
              {"op": "motion", "target": slot, "action": action.id},
              {"target": phrase, "target_name": obj.noun, "action": action.ing, "action_base": action.name,
               "old_action": obj.action.ing if obj.action else "", **pronouns(obj)})


def op_move(ctx, src: Source, i: int, *, anchors: list[int] | None, detail: bool = False,
            new_labels: dict | None = None) -> Op:
    """Move object ``i`` next to/onto/under... the first of ``anchors`` that fits (not where it
    already is), or to a region of the frame when ``anchors`` is None."""
    obj = src.objects[i]
    phrase, slot = _target(ctx, src, i, detail, new_labels)
    # never "move the mug next to the laptop" when it is already next to the laptop
    beside = {o for s, _, o in src.relations if s == i}
    dest, dest_slot, rel, anchor = place_phrase(ctx, src, obj, moving=True, anchors=None if anchors is None else [
        j for j in anchors if j != i and j not in beside])
    if rel is None:
        edit = Edit.record(op="move", target=i, value=dest_slot["region"])
        dest_at = ctx.rng.choice(phrases()["regions"][dest_slot["region"]]["at"])
    else:
        edit = Edit.record(op="move", target=i, relation=rel, anchor=anchor)
        dest_at = dest.replace("onto ", "on ", 1)
    src.relations = [(s, r, o) for s, r, o in src.relations if s != i]
    if rel is not None:
        src.relations.append((i, rel, anchor))
    verb = ctx.rng.choice(("move", "shift"))
    return Op(edit, verb, f"{phrase} {dest}", {"op": "move", "target": slot, **dest_slot},
              {"target": phrase, "target_name": obj.noun, "dest": dest, "dest_at": dest_at, **pronouns(obj)})

