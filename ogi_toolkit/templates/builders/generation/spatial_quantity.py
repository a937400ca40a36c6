"""Builders of the Spatial Reasoning subtasks about quantities: comparisons along one
dimension, sizes that reverse nature, and exact counts.

Counting writes each count as the number word the scene records; Size Reasoning always shows
a naturally smaller thing larger (canonically ``larger_than`` from the shown-larger object).
"""
from __future__ import annotations

from ogi_toolkit.spec import Relation, Scene
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import number_word, the

from ..kit import SCENE_WORDS, SIZE_RANK, distinct, dress, everyday, maybe_scene, memo, objects, words as word_set


# --- comparative reasoning ------------------------------------------------------------------

# How each comparative relation is drawn and put into words. "number" compares group sizes,
# "intensity" two shades of one colour; the rest compare a physical dimension.
_AXES = {
    "larger_than": ("size", "largest", "smallest"), "smaller_than": ("size", "smallest", "largest"),
    "taller_than": ("height", "tallest", "shortest"), "shorter_than": ("height", "shortest", "tallest"),
    "longer_than": ("length", "longest", "shortest"), "shorter_in_length_than": ("length", "shortest", "longest"),
    "wider_than": ("width", "widest", "narrowest"), "narrower_than": ("width", "narrowest", "widest"),
    "more_than": ("number", "most numerous", "least numerous"),
    "fewer_than": ("number", "least numerous", "most numerous"),
    "darker_than": ("intensity", "darkest", "lightest"), "lighter_than": ("intensity", "lightest", "darkest"),
    "older_than": ("age", "oldest", "newest"), "newer_than": ("age", "newest", "oldest"),
}
# Which way each physical comparison points. Overall size ("larger") covers every dimension, so a
# pair compared by size is never reversed along a dimension: "the glue stick is bigger than the
# salt shaker" and "the shaker is broader than the glue stick" contradict each other.
_GREATER = {"larger_than", "taller_than", "longer_than", "wider_than"}
_LESSER = {"smaller_than", "shorter_than", "shorter_in_length_than", "narrower_than"}
COMPARATIVE_SLOTS = ("intros", "clauses", "first_clauses", "order", "most", "least", "axis",
                     "objects", "relations", *SCENE_WORDS)


def _comparison_clause(ctx, subj, phrase: str, obj, axis: str, first: tuple[bool, bool]) -> str:
    """One comparison in words; ``first`` says whether each side is mentioned for the first time."""
    if axis == "number":
        # Groups compared by size: "there are more apples than pears".
        return f"there are {phrase} {subj.plural_phrase} than {obj.plural_phrase}"
    s = ctx.lexicon.a(subj.phrase) if first[0] else the(subj.phrase)
    o = ctx.lexicon.a(obj.phrase) if first[1] else the(obj.phrase)
    if axis == "intensity":
        return f"{s} is a {phrase.removesuffix(' than')} shade of {subj.colour.name} than {o}"
    verb = "are" if (subj.count or 1) > 1 else "is"  # a group of several: "the belts are taller than ..."
    return f"{s} {verb} {phrase} {o}"


@register("comparative", params=("exclude_categories",), slot_names=COMPARATIVE_SLOTS)
def build_comparative(ctx) -> Built:
    """Objects compared along one axis (grade 1: two objects; 2: a chain of three that
    orders them); grade 3 adds a second comparison along another axis and a scene."""
    d = min(ctx.difficulty, 3)
    known = [r for r in ctx.pools.filter("relations", group="comparative") if r.id in _AXES]
    rel = ctx.rng.choice(known)
    axis, most, least = _AXES[rel.id]
    n = 2 if d == 1 else 3
    where = everyday(ctx)
    if axis in ("intensity", "age"):
        where["animate"] = False  # shades and wear are asked of objects, not of animals or people
    if axis in ("number", "intensity"):
        items = objects(ctx, n, **where)
    else:
        # Things of about the same natural size: the comparison must be drawn, not assumed.
        first = objects(ctx, 1, **where)[0]
        rank = SIZE_RANK[first.size_class]
        near = [s for s, r in SIZE_RANK.items() if abs(r - rank) <= 1]
        items = [first] + objects(ctx, n - 1, exclude=[first.id], size_class=near, **where)
    things = []
    if axis == "intensity":
        # One colour in several shades, in the order the relation asks for.
        colour = ctx.rng.choice([c for c in ctx.pools["colours"] if c.family not in ("black", "white", "metallic")])
        shades = ("dark", "medium", "light") if rel.id == "darker_than" else ("light", "medium", "dark")
        for i, item in enumerate(items):
            # The colour stays out of the phrase ("the mug is a darker shade of red than ...").
            thing = dress(ctx, item, ("material",))
            thing.colour, thing.colour_in_phrase = colour, False
            thing.extra = {"shade": shades[i] if n == 3 else shades[2 * i]}
            things.append(thing)
    elif axis == "number":
        counts = sorted((2 + i for i in ctx.rng.sample(range(8), n)), reverse=rel.id == "more_than")
        things = [dress(ctx, item, ("colour",), count=c) for item, c in zip(items, counts)]
    else:
        things = [dress(ctx, item, ctx.rng.choice(((), ("colour",), ("material",)))) for item in items]
    pairs = [(i, i + 1) for i in range(n - 1)]  # things are in order: each beats the next
    comparisons = [(s, rel, o) for s, o in pairs]
    if d == 3:
        # A second dimension that reverses the first pair: "... but the mug is taller than the vase".
        # After an overall size comparison nothing can be reversed: the second one agrees with it.
        others = [r for r in known if _AXES[r.id][0] not in ("number", "intensity", "size", "age", axis)]
        if axis == "size":
            same_way = _GREATER if rel.id in _GREATER else _LESSER
            agreeing = [r for r in others if r.id in same_way]
            if agreeing:
                comparisons.append((0, ctx.rng.choice(agreeing), 1))
        elif others:
            comparisons.append((1, ctx.rng.choice(others), 0))
    words, scene_item = maybe_scene(ctx, {1: 0.2, 2: 0.4, 3: 1.0}[d])
    seen: set[int] = set()
    first_clauses, clauses = [], []
    for s, r, o in comparisons:
        phrase = ctx.rng.choice(r.phrases)
        r_axis = _AXES[r.id][0]
        first_clauses.append(_comparison_clause(ctx, things[s], phrase, things[o], r_axis, (s not in seen, o not in seen)))
        clauses.append(_comparison_clause(ctx, things[s], phrase, things[o], r_axis, (False, False)))
        seen.update((s, o))
    if axis == "intensity":  # "from darkest to lightest shade of teal"
        least = f"{least} shade of {things[0].colour.name}"
    if axis == "number":
        intros = [f"a group of {t.plural_phrase}" for t in things]
        ordered = [t.plural_phrase for t in things]
    else:
        intros = [ctx.lexicon.a(t.phrase) for t in things]
        ordered = [the(t.phrase) for t in things]
    words.update({
        "intros": intros, "clauses": clauses, "first_clauses": first_clauses,
        "order": ", then ".join(ordered), "most": most, "least": least, "axis": axis,
    })
    slots = {"objects": [t.slot() for t in things], "relations": [[s, r.id, o] for s, r, o in comparisons],
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  relations=[Relation.record(subject=s, relation=r.id, object=o) for s, r, o in comparisons],
                  background=scene_item.name if scene_item else None, layout="comparison")
    return Built(slots=slots, words=words, scene=scene)


# --- size reasoning -------------------------------------------------------------------------

SIZE_SLOTS = ("larger", "middle", "smaller", "factor", "towering", "dwarfed", "compare", "contrast",
              "objects", "relations", *SCENE_WORDS)
_TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 10: "ten times"}
_DIMENSIONS = ("as tall as", "as large as", "as big as", "as wide as")
_GROW = ("giant", "enormous", "gigantic", "colossal", "huge")
_SHRINK = ("tiny", "miniature", "minuscule", "teeny")
_TOWERING = ("towering over", "looming over", "dwarfing")
_DWARFED = ("dwarfed by", "overshadowed by", "barely reaching the knee of")


@register("size_reasoning", params=("exclude_categories",), slot_names=SIZE_SLOTS)
def build_size_reasoning(ctx) -> Built:
    """Sizes that reverse nature, so the image must follow the text, not habit.

    A naturally small thing is shown larger than a naturally big one, by making the small one
    giant ("grow") or the big one tiny ("shrink"). Grade 2 adds an explicit ratio ("three
    times as tall as"); grade 3 reverses the order of three things (small > medium > large),
    with both size words, a ratio and a scene.
    """
    d = min(ctx.difficulty, 3)
    every = everyday(ctx)["category"]
    items = [objects(ctx, 1, size_class=["tiny", "small"], category=every)[0]]
    if d == 3:
        items.append(objects(ctx, 1, size_class="medium", category=every, exclude=[items[0].id])[0])
    items.append(objects(ctx, 1, size_class=["large", "huge"], category=every,
                         exclude=[i.id for i in items])[0])
    things = [dress(ctx, item, ctx.rng.choice(((), ("colour",)))) for item in items]
    contrast = "both" if d == 3 else ctx.rng.choice(("grow", "shrink"))
    if contrast in ("grow", "both"):
        things[0].size = ctx.pools.get("sizes", ctx.rng.choice(_GROW))
    if contrast in ("shrink", "both"):
        things[-1].size = ctx.pools.get("sizes", ctx.rng.choice(_SHRINK))
    factor = ctx.rng.choice(tuple(_TIMES)) if d >= 2 else None
    # Canonically every relation reads "shown larger than", from the larger to the smaller.
    relations = [(i, "larger_than", i + 1) for i in range(len(things) - 1)]
    words, scene_item = maybe_scene(ctx, {1: 0.5, 2: 0.6, 3: 1.0}[d])
    words.update({
        "larger": things[0].phrase, "middle": things[1].phrase if d == 3 else "",
        "smaller": things[-1].phrase,
        "factor": f"{_TIMES[factor]} {ctx.rng.choice(_DIMENSIONS)}" if factor else "",
        "towering": ctx.rng.choice(_TOWERING), "dwarfed": ctx.rng.choice(_DWARFED),
        "compare": ctx.rng.choice(ctx.pools.get("relations", "larger_than").phrases),
        "contrast": contrast,
    })
    scene_objects = [t.scene_object() for t in things]
    if factor:
        scene_objects[0]["attributes"]["scale_factor"] = str(factor)
    slots = {"objects": [t.slot() for t in things], "relations": [list(r) for r in relations],
             "factor": factor, "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=scene_objects,
                  relations=[Relation.record(subject=s, relation=r, object=o) for s, r, o in relations],
                  background=scene_item.name if scene_item else None, layout="size_contrast")
    return Built(slots=slots, words=words, scene=scene)


# --- object counting ------------------------------------------------------------------------

_NUMBERS = frozenset(number_word(n) for n in range(21))
COUNTING_SLOTS = ("groups", "group_nouns", "counts", "be", "total", "objects", *SCENE_WORDS)


@register("object_counting", params=("exclude_categories",), slot_names=COUNTING_SLOTS)
def build_object_counting(ctx) -> Built:
    """Exact counts: one group (grade 1, 2-6 items), two groups (grade 2, 2-7 each) or three
    groups (grade 3, 2-10 each, in a scene). ``groups`` are counted phrases ("three red
    apples") whose number words equal the counts in the scene."""
    d = min(ctx.difficulty, 3)
    k = d
    low, high = {1: (2, 6), 2: (2, 7), 3: (2, 10)}[d]
    every = everyday(ctx)["category"]
    # no "ten four-leaf clovers": a number word in a name would blur the count
    countable = memo(ctx, ("countable_without_numbers", every), lambda: tuple(
        o for o in ctx.pools.filter("objects", countable=True, category=every) if not word_set(o.name) & _NUMBERS))
    items = distinct(ctx.rng, countable, k, what="objects to count")
    attrs = {1: ((), ("colour",)), 2: (("colour",), ("material",), ()), 3: (("colour",), ("size",), ("material",))}[d]
    things = [dress(ctx, item, ctx.rng.choice(attrs), count=ctx.rng.randint(low, high)) for item in items]
    words, scene_item = maybe_scene(ctx, {1: 0.3, 2: 0.5, 3: 0.9}[d])
    words.update({
        "groups": [t.counted for t in things],
        "group_nouns": [t.plural_phrase if t.count > 1 else t.phrase for t in things],
        "counts": [number_word(t.count) for t in things],
        "be": "is" if things[0].count == 1 else "are",
        "total": number_word(sum(t.count for t in things)),
    })
    slots = {"objects": [t.slot() | {"count": t.count} for t in things],
             "scene": scene_item.id if scene_item else None}
    scene = Scene.record(objects=[t.scene_object() for t in things],
                  background=scene_item.name if scene_item else None, layout="counting")
    return Built(slots=slots, words=words, scene=scene)
