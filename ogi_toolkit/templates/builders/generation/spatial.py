"""Builders of the Spatial Reasoning subtasks that lay objects out: relations (Relative
Position; Complex Spatial Composition reuses it), containment and symmetry. Comparison, size
and counting are in ``spatial_quantity.py``.

Every builder honours its subtask's capability boundary by construction: relative position
draws only from the relation groups its YAML ``params.groups`` names (planar and vertical),
and every relation is physically possible; containment only nests a thing in a larger
container; symmetry places identical pairs or even rings around a centre.
"""
from __future__ import annotations

import re

from ogi_toolkit.spec import Relation, Scene
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import number_word, the

from ..kit import SCENE_WORDS, SIZE_RANK, distinct, dress, everyday, maybe_scene, memo, objects

# Verbs that sit between a subject and a relation phrase ("sits to the left of"); by group.
_POSTURE = {
    "planar": ("is", "sits", "stands", "is placed"),
    "vertical": ("is", "is positioned"),
    "contact": ("rests", "sits", "is balanced"),
    "depth": ("is", "stands", "sits"),
    "containment": ("sits", "rests", "is tucked"),
}

# Relations whose phrases need a plain "is" ("is stacked on", not "rests stacked on").
_POSTURE_BY_ID = {"attached_to": ("is",), "stacked_on": ("is",)}


def _verb_for(ctx, rel, phrase: str) -> str:
    """The verb before a relation phrase; "is" before participles ("is leaning against",
    "is suspended above")."""
    if phrase.split()[0].endswith(("ing", "ed")):
        return "is"
    return ctx.rng.choice(_POSTURE_BY_ID.get(rel.id) or _POSTURE.get(rel.group, ("is",)))




# Function words too common to ban from a scene phrase ("in a kitchen").
_HARMLESS = ("in", "before", "on")


def _scenes_without(ctx, groups: tuple[str, ...]) -> tuple:
    """Scenes whose phrase uses no relation phrase of ``groups``: a Relative Position item must
    not say "inside a glass greenhouse" or "behind a waterfall", even about its background."""
    def compute():
        phrases = [p for r in ctx.pools["relations"] if r.group in groups for p in r.phrases if p not in _HARMLESS]
        pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
        return tuple(s for s in ctx.pools["scenes"] if not pattern.search(f"{s.phrase} {s.name}"))
    return memo(ctx, ("scenes_without", groups), compute)


def _attributes_for(ctx) -> tuple[str, ...]:
    """Attributes shown per object: none or one at grade 1, one at 2, one or two at 3."""
    options = {1: ((), ("colour",)), 2: (("colour",), ("material",)),
               3: (("colour",), ("material",), ("size", "colour"), ("colour", "material"))}
    return ctx.rng.choice(options[min(ctx.difficulty, 3)])


# --- relative position / complex spatial composition ----------------------------------------

RELATIONS_SLOTS = ("a", "b", "c", "d", "r1", "r2", "r3", "v1", "v2", "v3", "objs_a", "clauses",
                   "camera", "objects", "relations", *SCENE_WORDS)


# Relation groups whose feasibility depends on the objects (see _feasible); the rest always hold.
_CONSTRAINED = ("containment", "contact")


def _feasible(rel, subj, obj) -> bool:
    """Whether ``subj rel obj`` can be drawn given the objects' natural sizes and kinds."""
    rs, ro = SIZE_RANK[subj.size_class], SIZE_RANK[obj.size_class]
    if rel.group in ("containment", "contact") and obj.animate:
        return False  # no kettle balanced on an owl, no cup inside a cat
    if rel.id == "inside":
        return obj.container and rs < ro
    if rel.group == "containment":
        return False  # surrounding, half inside ...: only Containment draws those
    if rel.id in ("on_top_of", "stacked_on", "under", "attached_to", "leaning_on"):
        return rs <= ro
    if rel.id == "hanging_from":
        return rs < ro
    return True


def _choose_relations(ctx, pool, things, pairs, min_groups: int) -> list:
    """One feasible relation per pair; the first pairs prefer groups not used yet, so at least
    ``min_groups`` different groups appear when the pool allows it."""
    chosen, used = [], set()
    free = [r for r in pool if r.group not in _CONSTRAINED]
    constrained = [r for r in pool if r.group in _CONSTRAINED]
    for s, o in pairs:
        feasible = free + [r for r in constrained if _feasible(r, things[s].item, things[o].item)]
        fresh = [r for r in feasible if r.group not in used]
        rel = ctx.rng.choice(fresh if fresh and len(used) < min_groups else feasible)
        chosen.append(rel)
        used.add(rel.group)
    return chosen


@register("spatial_relations", params=("groups", "exclude_relations", "objects", "min_groups", "scene_p", "camera_from", "exclude_categories"), slot_names=RELATIONS_SLOTS)
def build_spatial_relations(ctx) -> Built:
    """Objects chained by relations of the allowed groups: a-b, c-b, d-c, e-d ...

    Each new object is related only to one already placed, so the chain never contradicts
    itself, and every relation is physically possible (``_feasible``). ``params``: ``groups``
    (relation groups), ``exclude_relations`` (ids; default ``between``, which needs two
    anchors), ``objects`` (grade -> number of objects; default 2/3/4), ``min_groups`` (grade ->
    distinct relation groups wanted), ``scene_p`` (grade -> chance of a scene), ``camera_from``
    (grade from which a camera setting is added; default never).
    """
    d = min(ctx.difficulty, 3)
    groups = tuple(ctx.params.get("groups", ("planar", "vertical")))
    banned = tuple(ctx.params.get("exclude_relations", ("between",)))
    pool = memo(ctx, ("relations", groups, banned), lambda: tuple(
        r for r in ctx.pools.filter("relations", group=groups) if r.id not in banned))
    n = int(ctx.params.get("objects", {1: 2, 2: 3, 3: 4})[d])
    attrs = _attributes_for(ctx)
    things = [dress(ctx, item, attrs) for item in objects(ctx, n, **everyday(ctx))]
    pairs = [(0, 1)] + [(i, i - 1) for i in range(2, n)]
    rels = _choose_relations(ctx, pool, things, pairs, int(ctx.params.get("min_groups", {}).get(d, 1)))
    # Scenes must not smuggle in the relation groups this subtask leaves out.
    left_out = tuple(g for g in ("containment", "depth") if g not in groups)
    words, scene_item = maybe_scene(ctx, float(ctx.params.get("scene_p", {1: 0.2, 2: 0.5, 3: 1.0})[d]),
                                     _scenes_without(ctx, left_out) if left_out else None)
    camera = ctx.rng.choice(ctx.pools["camera"]) if d >= ctx.params.get("camera_from", 99) else None
    phrases = [ctx.rng.choice(r.phrases) for r in rels]
    verbs = [_verb_for(ctx, r, p) for r, p in zip(rels, phrases)]
    names = [t.phrase for t in things] + [""] * max(0, 4 - n)
    phrases_4 = phrases + [""] * max(0, 3 - len(phrases))
    verbs_4 = verbs + [""] * max(0, 3 - len(verbs))
    words.update({
        "a": names[0], "b": names[1], "c": names[2], "d": names[3],
        "r1": phrases_4[0], "r2": phrases_4[1], "r3": phrases_4[2],
        "v1": verbs_4[0], "v2": verbs_4[1], "v3": verbs_4[2],
        "objs_a": [ctx.lexicon.a(t.phrase) for t in things],
        "clauses": [f"{the(things[s].phrase)} {v} {p} {the(things[o].phrase)}"
                    for (s, o), p, v in zip(pairs, phrases, verbs)],
        "camera": camera.phrase if camera else "",
    })
    slots = {"objects": [t.slot() for t in things],
             "relations": [[s, r.id, o] for (s, o), r in zip(pairs, rels)],
             "scene": scene_item.id if scene_item else None, "camera": camera.id if camera else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  relations=[Relation.record(subject=s, relation=r.id, object=o) for (s, o), r in zip(pairs, rels)],
                  background=scene_item.name if scene_item else None, camera=camera.name if camera else None,
                  layout="relations")
    return Built(slots=slots, words=words, scene=scene)


# --- containment ----------------------------------------------------------------------------

CONTAINMENT_SLOTS = ("inner", "mid", "outer", "holder", "extra", "in_outer", "in_mid", "enclose",
                     "enclosing", "out_rel", "nest", "mid_name", "outer_name", "objects", "relations",
                     *SCENE_WORDS)
_ENCLOSE_VERBS = ("encloses", "holds", "contains", "surrounds")


def _smaller(limit: str) -> tuple[str, ...]:
    """Size classes strictly smaller than ``limit`` (a hashable size filter)."""
    return tuple(s for s, r in SIZE_RANK.items() if r < SIZE_RANK[limit])


@register("containment", params=("exclude_categories",), slot_names=CONTAINMENT_SLOTS)
def build_containment(ctx) -> Built:
    """A thing inside a larger container; grade 2 adds an object outside (or on top of) the
    container; grade 3 nests a middle container (inner in mid in outer) and sets a scene."""
    d = min(ctx.difficulty, 3)
    usual = everyday(ctx)["category"]
    levels = 3 if d == 3 else 2
    # The outer container must leave room for ``levels - 1`` smaller sizes below it.
    outer_sizes = [s for s, r in SIZE_RANK.items() if r >= levels]
    outer = objects(ctx, 1, container=True, size_class=outer_sizes, category=usual)[0]
    chain = [outer]
    if levels == 3:  # a middle container with room for something smaller inside
        chain.append(objects(ctx, 1, exclude=[outer.id], container=True, category=usual,
                             size_class=tuple(s for s in _smaller(outer.size_class) if s != "tiny"))[0])
    chain.append(objects(ctx, 1, exclude=[c.id for c in chain], size_class=_smaller(chain[-1].size_class),
                         category=usual)[0])
    chain = chain[::-1]  # innermost first
    things = [dress(ctx, item, ctx.rng.choice((("material",), ("colour",), ("colour", "material"))))
              for item in chain]
    inside = ctx.pools.get("relations", "inside")
    relations = [(i, "inside", i + 1) for i in range(len(things) - 1)]
    extra = None
    if d >= 2:
        extra_rel = ctx.pools.get("relations", "outside" if d == 3 or ctx.rng.random() < 0.6 else "on_top_of")
        # Outside: anything up to a size above the container; on top: something smaller.
        limit = min(SIZE_RANK[chain[-1].size_class] + 1, SIZE_RANK["huge"])
        allowed = tuple(s for s, r in SIZE_RANK.items() if r <= limit)
        where = {"size_class": allowed if extra_rel.id == "outside" else _smaller(chain[-1].size_class)}
        extra_item = objects(ctx, 1, exclude=[c.id for c in chain], category=usual, **where)[0]
        extra = dress(ctx, extra_item, ctx.rng.choice(((), ("colour",))))
        things.append(extra)
        relations.append((len(things) - 1, extra_rel.id, len(chain) - 1))
    words, scene_item = maybe_scene(ctx, {1: 0.3, 2: 0.5, 3: 0.8}[d])
    inner, outer_t = things[0], things[len(chain) - 1]
    mid = things[1] if levels == 3 else None
    # Prepositions only ("in", "inside", "within"): they read after "put X" and "X sits".
    prepositions = [p for p in inside.phrases if " " not in p] or list(inside.phrases)
    in_outer, in_mid = ctx.rng.choice(prepositions), ctx.rng.choice(prepositions)
    surrounding = ctx.pools.get("relations", "surrounding")
    nest = f"{ctx.lexicon.a(inner.phrase)} {in_mid if mid else in_outer} {ctx.lexicon.a((mid or outer_t).phrase)}"
    if mid:
        nest += f" {in_outer} {ctx.lexicon.a(outer_t.phrase)}"
    words.update({
        "inner": inner.phrase, "mid": mid.phrase if mid else "", "outer": outer_t.phrase,
        "holder": (mid or outer_t).phrase, "mid_name": mid.item.name if mid else "",
        "outer_name": outer_t.item.name,
        "extra": extra.phrase if extra else "",
        "in_outer": in_outer, "in_mid": in_mid if mid else "",
        "enclose": ctx.rng.choice(_ENCLOSE_VERBS), "enclosing": ctx.rng.choice(surrounding.phrases),
        "out_rel": ctx.rng.choice(ctx.pools.get("relations", relations[-1][1]).phrases) if extra else "",
        "nest": nest,
    })
    slots = {"objects": [t.slot() for t in things], "relations": [list(r) for r in relations],
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in relations],
                  background=scene_item.name if scene_item else None, layout="containment")
    return Built(slots=slots, words=words, scene=scene)


# --- symmetry -------------------------------------------------------------------------------

SYMMETRY_SLOTS = ("mode", "centre", "pair", "pair_each", "outer_pair", "ring", "ring_n", "ring_alt",
                  "axis", "arrangement", "arrangement_clause", "objects", "relations", *SCENE_WORDS)
# The symmetry relations' phrases are participles ("two cups flanking a vase"): a noun phrase,
# right after a colon, but no sentence. Where the template needs a clause ("an image where ...",
# "In a kitchen, ..."), each phrase's finite form is used: "two cups flank a vase".
_FINITE = {"flanking": "flank", "on either side of": "stand on either side of",
           "set on both sides of": "are set on both sides of", "arranged evenly around": "are arranged evenly around",
           "in a ring around": "stand in a ring around", "spaced evenly around": "are spaced evenly around"}


def _finite(phrase: str) -> str:
    return _FINITE.get(phrase, f"are {phrase}")


@register("symmetry", params=("exclude_categories",), slot_names=SYMMETRY_SLOTS)
def build_symmetry(ctx) -> Built:
    """Mirror or radial symmetry around a centre object.

    Grade 1: a mirrored pair flanking a centre. Grade 2: a radial ring of 4-8 identical
    things around a centre, or two mirrored pairs. Grade 3: a ring whose members alternate
    between two colours (even counts keep it symmetric) plus a mirrored pair outside it.
    """
    d = min(ctx.difficulty, 3)
    mode = "mirror" if d == 1 else ("radial" if d == 3 or ctx.rng.random() < 0.6 else "mirror")
    n_items = {1: 2, 2: 3, 3: 3}[d]
    centre_item, *side_items = objects(ctx, n_items, **everyday(ctx))
    centre = dress(ctx, centre_item, ctx.rng.choice((("colour",), ("material",))))
    things = [centre]
    relations = []
    axis = ctx.rng.choice(("vertical", "horizontal")) if mode == "mirror" else ""
    pair = outer_pair = ring = None
    ring_alt = ""
    if mode == "mirror":
        pair = dress(ctx, side_items[0], ("colour",), count=2)
        things.append(pair)
        relations.append((1, "flanking", 0))
        if d == 2:
            outer_pair = dress(ctx, side_items[1], ("colour",), count=2)
            things.append(outer_pair)
            relations.append((2, "flanking", 0))
    else:
        n = ctx.rng.choice((4, 6, 8) if d == 3 else (4, 5, 6, 7, 8))
        ring = dress(ctx, side_items[0], ("material",) if d == 3 else ("colour",), count=n)
        if d == 3:
            colours = distinct(ctx.rng, ctx.pools["colours"], 2)
            ring.extra = {"alternating": f"{colours[0].id}/{colours[1].id}"}
            ring_alt = f"{colours[0].name} and {colours[1].name}"
        things.append(ring)
        relations.append((1, "arranged_around", 0))
        if d == 3:
            outer_pair = dress(ctx, side_items[1], ("colour",), count=2)
            things.append(outer_pair)
            relations.append((2, "flanking", 0))
    words, scene_item = maybe_scene(ctx, {1: 0.3, 2: 0.5, 3: 0.9}[d])
    flank = ctx.pools.get("relations", "flanking")
    around = ctx.pools.get("relations", "arranged_around")
    parts, clauses = [], []  # the arrangement as noun phrases, and as clauses with a verb
    if pair:
        phrase, centre_a = ctx.rng.choice(flank.phrases), ctx.lexicon.a(centre.phrase)
        parts.append(f"{pair.counted} {phrase} {centre_a}")
        clauses.append(f"{pair.counted} {_finite(phrase)} {centre_a}")
    if ring:
        ring_words = f"{ring.counted}" + (f" alternating {ring_alt}" if ring_alt else "")
        phrase, centre_a = ctx.rng.choice(around.phrases), ctx.lexicon.a(centre.phrase)
        parts.append(f"{ring_words} {phrase} {centre_a}")
        clauses.append(f"{ring_words} {_finite(phrase)} {centre_a}")
    if outer_pair:
        phrase, them = ctx.rng.choice(flank.phrases), "them" if ring else the(centre.phrase)
        parts.append(f"{outer_pair.counted} {phrase} {them}")
        clauses.append(f"{outer_pair.counted} {_finite(phrase)} {them}")
    words.update({
        "mode": mode, "centre": centre.phrase, "axis": axis,
        "pair": pair.counted if pair else "", "pair_each": pair.phrase if pair else "",
        "outer_pair": outer_pair.counted if outer_pair else "",
        "ring": ring.counted if ring else "", "ring_n": number_word(ring.count) if ring else "",
        "ring_alt": ring_alt, "arrangement": "; ".join(parts), "arrangement_clause": " and ".join(clauses),
    })
    slots = {"mode": mode, "axis": axis or None, "objects": [t.slot() for t in things],
             "relations": [list(r) for r in relations], "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in relations],
                  background=scene_item.name if scene_item else None,
                  layout=f"{mode}_symmetric" + (f"_{axis}_axis" if axis else ""))
    return Built(slots=slots, words=words, scene=scene)
