"""Text Editing builder (``edit_text``): add, replace, alter or remove a string on a surface.

The subtask's ``params: {op: text_add|text_replace|text_alter|text_remove}`` picks the
operation. Grades: 1 one surface and a short English string; 2 a second surface with its
own string (the instruction must name the string it means), a font/colour for new text;
3 strings in other languages and scripts, two lettering changes at once, and a
consistency requirement.
"""
from __future__ import annotations

from ..base import Built, register
from .naming import scene_words
from .sampling import build_source, chance, pick, retrying, words as word_set
from .text_ops import (add_surface, op_text_add, op_text_alter, op_text_remove, op_text_replace,
                       surfaces_for, text_alter_choices, text_choices)

__all__ = ["build_text", "TEXT_FINISHES"]

TEXT_OPS = ("text_add", "text_replace", "text_alter", "text_remove")
# Grade-3 consistency requirements: op -> id -> phrase.
TEXT_FINISHES = {
    "text_add": {"perspective": "following the perspective and curve of the surface",
                 "painted": "so that the letters look painted on, not pasted over",
                 "light": "lit like the rest of the scene"},
    "text_replace": {"same_style": "matching the original font, colour and size",
                     "wear": "with the same perspective and wear as the old lettering"},
    "text_alter": {"aligned": "keeping the letters aligned with the surface",
                   "spacing": "without changing the spacing or position of the words"},
    "text_remove": {"texture": "restoring the texture underneath without a seam",
                    "ghost": "leaving no faint ghost of the old letters"},
}
TEXT_WORDS = ("scene", "scene_in", "this_photo", "the_rest", "surface", "text", "old", "kind", "meaning", "look", "make", "to", "attrs",
              "old_look", "finish")


def _op(ctx) -> str:
    op = ctx.params.get("op")
    if op not in TEXT_OPS:
        raise ValueError(f"subtask {ctx.subtask!r}: params.op must be one of {TEXT_OPS}, got {op!r}")
    return op


@register("edit_text", params=("op",), slot_names=TEXT_WORDS)
@retrying
def build_text(ctx) -> Built:
    op, grade, rng, pools = _op(ctx), ctx.difficulty, ctx.rng, ctx.pools
    foreign = grade == 3 and chance(rng, 0.6)  # a string in another language or script
    src, _ = build_source(ctx, n_objects=int(rng.integers(1, 3)) + grade - 1, grade=1,
                          place_filter=lambda p: len(surfaces_for(pools, p)) >= 2)
    # Text Add writes on a blank surface; the others edit the string on the first surface.
    english_first = None if op == "text_add" else not (foreign and op != "text_replace")
    first = add_surface(ctx, src, blank=op == "text_add", english=english_first)
    if grade >= 2:  # a second surface with its own string: the instruction must say which
        add_surface(ctx, src, english=True)
    scene = src.scene(pools)
    if op == "text_add":
        shown = {text.item.id for text in src.texts}
        item = pick(rng, text_choices(pools, src.objects[first].item, english=not foreign, exclude=shown)
                    or text_choices(pools, src.objects[first].item, english=None, exclude=shown))
        font = pick(rng, pools["fonts"]) if grade >= 2 and chance(rng, 0.8) else None
        colour = pick(rng, pools["colours"]) if grade >= 2 and chance(rng, 0.8) else None
        if font and colour and word_set(colour.name) & word_set(font.name):
            colour = None  # not "rose gold gold-foil serif"
        ops = [op_text_add(ctx, src, first, item, font=font, colour=colour)]
    else:
        t = next(k for k, text in enumerate(src.texts) if text.on == first)
        if op == "text_replace":
            shown = {text.item.id for text in src.texts}
            options = text_choices(pools, src.objects[first].item, english=not foreign, exclude=shown)
            ops = [op_text_replace(ctx, src, t, pick(rng, options or text_choices(
                pools, src.objects[first].item, english=None, exclude=shown)))]
        elif op == "text_alter":
            choices = text_alter_choices(ctx, src.texts[t])
            attributes = [str(a) for a in rng.permutation(sorted(choices))[: 2 if grade == 3 and not foreign else 1]]
            ops = op_text_alter(ctx, src, t, [(a, pick(rng, choices[a])) for a in attributes])
        else:
            ops = [op_text_remove(ctx, src, t)]
    slots = {"scene": src.place.id, "on": src.objects[first].item.id, **ops[0].slot}
    words = {**scene_words(ctx, src.place), "text": "", "old": "", "kind": "", "meaning": "", "look": "",
             "make": "", "to": "", "attrs": "", "old_look": "", "finish": "", **ops[0].words}
    if grade == 3:
        key = pick(rng, sorted(TEXT_FINISHES[op]))
        slots["finish"], words["finish"] = key, TEXT_FINISHES[op][key]
    return Built(slots=slots, words=words, source=scene, edits=[o.edit for o in ops])
