"""Light, rule-based paraphrases of a prompt: what a near copy of a benchmark prompt looks like.

They measure how well leakage finds near copies (the thresholds in ``leakage.yaml`` were
chosen with them) and plant near copies in tests:

* ``word_order``: two parts swapped around "and" or a comma, else the last prepositional
  phrase moved to the front ("a cat on a mat" -> "on a mat, a cat");
* ``synonyms``: up to two words replaced from a short list ("photo" -> "picture");
* ``colour``: a colour word changed to another colour of the pools, or one added before the
  last word when the prompt names none.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

__all__ = ["PARAPHRASES", "paraphrase", "SYNONYMS"]

PARAPHRASES = ("word_order", "synonyms", "colour")
SYNONYMS = {
    "photo": "picture", "picture": "image", "image": "picture", "big": "large", "large": "big",
    "small": "little", "little": "small", "beside": "next to", "near": "close to", "sitting": "seated",
    "standing": "upright", "car": "automobile", "dog": "puppy", "cat": "kitten", "man": "guy",
    "woman": "lady", "shows": "depicts", "showing": "depicting", "beautiful": "lovely", "old": "aged",
    "tiny": "minuscule", "huge": "enormous", "quickly": "rapidly", "street": "road", "house": "home",
    "holding": "carrying", "wearing": "dressed in", "top": "upper part", "bright": "vivid",
    "remove": "take out", "add": "put", "change": "turn", "replace": "swap", "make": "render",
}
_PREPOSITIONS = ("next to", "on top of", "in front of", "behind", "below", "above", "under", "on", "in", "with",
                 "at", "of", "near", "beside")


@lru_cache(maxsize=1)
def _colours() -> tuple[str, ...]:
    from ..definition.pools import load_pools

    # single-word names only: "light grey" replaced inside "light grey car" would leave "light"
    return tuple(c.name for c in load_pools()["colours"] if " " not in c.name)


def _word_order(prompt: str) -> str:
    text = prompt.strip().rstrip(".")
    for sep in (" and ", ", "):
        if sep in text:
            left, right = text.split(sep, 1)
            return f"{right}{sep}{left}"
    lower = text.lower()
    spots = [m.start() for p in _PREPOSITIONS for m in re.finditer(rf"\s{re.escape(p)}\s", lower)]
    if spots:
        cut = max(spots)
        return f"{text[cut + 1:]}, {text[:cut]}"
    words = text.split()
    return " ".join(words[len(words) // 2:] + words[:len(words) // 2])


def _synonyms(prompt: str, rng: np.random.Generator) -> str:
    words = prompt.split()
    spots = [i for i, w in enumerate(words) if w.lower().strip(".,;:!?") in SYNONYMS]
    for i in rng.permutation(spots)[:2] if spots else ():
        core = words[i].lower().strip(".,;:!?")
        words[i] = words[i].lower().replace(core, SYNONYMS[core])
    if not spots:  # nothing to swap: a near copy still, a few words said another way
        return f"an image of {prompt[0].lower()}{prompt[1:]}" if prompt else prompt
    return " ".join(words)


def _colour(prompt: str, rng: np.random.Generator) -> str:
    colours = _colours()
    words = prompt.split()
    spots = [i for i, w in enumerate(words) if w.lower().strip(".,;:!?") in colours]
    if spots:
        i = int(rng.choice(spots))
        core = words[i].lower().strip(".,;:!?")
        other = [c for c in colours if c != core]
        words[i] = words[i].lower().replace(core, str(rng.choice(other)))
    else:
        words.insert(max(len(words) - 1, 0), str(rng.choice(colours)))
    return " ".join(words)


def paraphrase(prompt: str, how: str, rng: np.random.Generator | int = 0) -> str:
    """``prompt`` changed lightly by ``how`` (one of :data:`PARAPHRASES`)."""
    rng = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    if how == "word_order":
        return _word_order(prompt)
    if how == "synonyms":
        return _synonyms(prompt, rng)
    if how == "colour":
        return _colour(prompt, rng)
    raise ValueError(f"how: {how!r} is not one of {PARAPHRASES}")
