"""What the one-operation editing builders share: clutter by grade, grade-3 consistency
requirements (``finish``) and the assembly of a ``Built`` from one operation."""
from __future__ import annotations

from ..base import Built
from .naming import place_words

__all__ = ["COMMON_WORDS", "FINISHES", "objects_for", "finish", "one_edit"]

# Words every one-operation builder fills (its templates may use any of them).
COMMON_WORDS = ("scene", "scene_in", "this_photo", "the_rest", "target", "target_name", "pron", "poss", "they", "be", "finish")

# Consistency requirements a grade-3 instruction adds: op -> id -> phrase, read after a
# comma; {pron}/{poss} agree with the edited object ("its"/"her"/"their").
FINISHES = {
    "add": {"shadow": "casting a shadow that matches the light in the scene",
            "scale": "at a believable scale for {poss} spot",
            "light": "lit from the same direction as everything else",
            "occlusion": "partly hidden by whatever stands in front of {pron}"},
    "replace": {"footprint": "keeping the same position and footprint as the original",
                "light": "matching the lighting and shadows of the original",
                "scale": "at the scale the original had"},
    "alter": {"shape": "keeping {poss} exact shape and shading",
              "highlights": "preserving {poss} highlights and reflections",
              "place": "without moving {pron} or changing anything around {pron}"},
    "remove": {"shadow": "leaving no shadow, reflection or outline behind",
               "seamless": "continuing the surrounding textures without a visible seam",
               "occluded": "completing whatever was hidden behind {pron}"},
    "extract": {"centred": "centred, with a soft drop shadow",
                "edges": "with every edge crisp and nothing cropped",
                "exact": "keeping {poss} proportions and colours exactly as in the photo"},
    "reference": {"light": "matching the light and perspective of this scene",
                  "scale": "at the scale the rest of the scene calls for",
                  "identity": "with every detail of {poss} look carried over"},
    "motion": {"identity": "keeping the same face, markings and clothes",
               "balance": "with believable balance and contact with the ground",
               "spot": "without moving from the same spot"},
    "material": {"light": "with reflections that match the light in the scene",
                 "grain": "showing the natural grain and sheen of the new material",
                 "shape": "keeping {poss} shape, size and every detail"},
    "move": {"shadow": "with a new shadow that matches the light",
             "scale": "scaled for {poss} new distance from the camera",
             "vacated": "rebuilding the background where {pron} stood"},
}


def objects_for(grade: int, rng) -> int:
    """How many objects a source has at each grade (more clutter when harder)."""
    low, high = {1: (2, 3), 2: (3, 5), 3: (4, 6)}[grade]
    return rng.randrange(low, high + 1)


def finish(ctx, kind: str, slots: dict, words: dict) -> str:
    """A grade-3 consistency requirement for ``kind`` ("" below grade 3); records its id."""
    if ctx.difficulty < 3:
        return ""
    key = ctx.rng.choice(sorted(FINISHES[kind]))
    slots["finish"] = key
    return FINISHES[kind][key].format(pron=words["pron"], poss=words["poss"])


def one_edit(ctx, src, scene, slot: dict, words: dict, edits: list, kind: str | None = None, **extra) -> Built:
    """The Built of a one-operation item: slots = the place + what the operation says
    (+ the finish); words = the place words + the operation's words."""
    slots = {"scene": src.place.id, **slot}
    words = {**place_words(ctx, src.place), "target": "", "target_name": "",
             "pron": "it", "poss": "its", "they": "it", "be": "is", **words}
    words["finish"] = finish(ctx, kind or slots["op"], slots, words)
    return Built(slots=slots, words=words, source=scene, edits=edits, **extra)
