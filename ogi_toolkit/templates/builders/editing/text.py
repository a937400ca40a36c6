"""Text Editing builder (``edit_text``): add, replace, alter or remove a string on a surface.

The subtask's ``params: {op: text_add|text_replace|text_alter|text_remove}`` picks the
operation. Grades: 1 one surface and a short English string; 2 a second surface with its
own string (the instruction must name the string it means), a font/colour for new text;
3 strings in other languages and scripts, two lettering changes at once, and a
consistency requirement.
"""
from __future__ import annotations

from ..base import Built, register
from .naming import place_words
from ..kit import phrases, shuffled, words as word_set
from .sampling import build_source, retrying
from .text_ops import (add_surface, op_text_add, op_text_alter, op_text_remove, op_text_replace,
                       surfaces_for, text_alter_choices, text_choices)

__all__ = ["build_text"]

TEXT_OPS = ("text_add", "text_replace", "text_alter", "text_remove")
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
    foreign = grade == 3 and rng.random() < 0.6  # a string in another language or script
    src, _ = build_source(ctx, n_objects=rng.randrange(1, 3) + grade - 1, grade=1,
                          place_filter=lambda p: len(surfaces_for(ctx, p)) >= 2)
    # Text Add writes on a blank surface; the others edit the string on the first surface.
    english_first = None if op == "text_add" else not (foreign and op != "text_replace")
    first = add_surface(ctx, src, blank=op == "text_add", english=english_first)
    if grade >= 2:  # a second surface with its own string: the instruction must say which
        add_surface(ctx, src, english=True)
    scene = src.scene(ctx)
    if op == "text_add":
        shown = {text.item.id for text in src.texts}
        item = rng.choice(text_choices(ctx, src.objects[first].item, english=not foreign, exclude=shown)
                    or text_choices(ctx, src.objects[first].item, english=None, exclude=shown))
        font = rng.choice(pools["fonts"]) if grade >= 2 and rng.random() < 0.8 else None
        colour = rng.choice(pools["colours"]) if grade >= 2 and rng.random() < 0.8 else None
        if font and colour and word_set(colour.name) & word_set(font.name):
            colour = None  # not "rose gold gold-foil serif"
        ops = [op_text_add(ctx, src, first, item, font=font, colour=colour)]
    else:
        t = next(k for k, text in enumerate(src.texts) if text.on == first)
        if op == "text_replace":
            shown = {text.item.id for text in src.texts}
            options = text_choices(ctx, src.objects[first].item, english=not foreign, exclude=shown)
            ops = [op_text_replace(ctx, src, t, rng.choice(options or text_choices(
                ctx, src.objects[first].item, english=None, exclude=shown)))]
        elif op == "text_alter":
            choices = text_alter_choices(ctx, src.texts[t])
            attributes = shuffled(rng, sorted(choices))[: 2 if grade == 3 and not foreign else 1]
            ops = op_text_alter(ctx, src, t, [(a, rng.choice(choices[a])) for a in attributes])
        else:
            ops = [op_text_remove(ctx, src, t)]
    slots = {"scene": src.place.id, "on": src.objects[first].item.id, **ops[0].slot}
    words = {**place_words(ctx, src.place), "text": "", "old": "", "kind": "", "meaning": "", "look": "",
             "make": "", "to": "", "attrs": "", "old_look": "", "finish": "", **ops[0].words}
    if grade == 3:
        finishes = phrases()["text_finishes"][op]
        key = rng.choice(sorted(finishes))
        slots["finish"], words["finish"] = key, finishes[key]
    return Built(slots=slots, words=words, source=scene, edits=[o.edit for o in ops])
