"""What the one-operation editing builders share: clutter by grade, grade-3 consistency
requirements (``finish``, worded in phrases.yaml) and the assembly of a ``Built`` from one operation."""
from __future__ import annotations

from ..base import Built
from ..kit import phrases
from .naming import place_words

__all__ = ["COMMON_WORDS", "objects_for", "finish", "one_edit"]

# Words every one-operation builder fills (its templates may use any of them).
COMMON_WORDS = ("scene", "scene_in", "this_photo", "the_rest", "target", "target_name", "pron", "poss", "they", "be", "finish")

def objects_for(grade: int, rng) -> int:
    """How many objects a source has at each grade (more clutter when harder)."""
    low, high = {1: (2, 3), 2: (3, 5), 3: (4, 6)}[grade]
    return rng.randrange(low, high + 1)


def finish(ctx, kind: str, slots: dict, words: dict) -> str:
    """A grade-3 consistency requirement for ``kind`` (phrases.yaml ``finishes``; "" below
    grade 3); records its id."""
    if ctx.difficulty < 3:
        return ""
    options = phrases()["finishes"][kind]
    key = ctx.rng.choice(sorted(options))
    slots["finish"] = key
    return options[key].format(pron=words["pron"], poss=words["poss"])


def one_edit(ctx, src, scene, slot: dict, words: dict, edits: list, kind: str | None = None, **extra) -> Built:
    """The Built of a one-operation item: slots = the place + what the operation says
    (+ the finish); words = the place words + the operation's words."""
    slots = {"scene": src.place.id, **slot}
    words = {**place_words(ctx, src.place), "target": "", "target_name": "",
             "pron": "it", "poss": "its", "they": "it", "be": "is", **words}
    words["finish"] = finish(ctx, kind or slots["op"], slots, words)
    return Built(slots=slots, words=words, source=scene, edits=edits, **extra)
