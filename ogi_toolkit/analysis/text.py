"""Tokens, n-grams and prompt skeletons: the text side shared by diversity and repetition."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

__all__ = ["tokens", "ngrams", "function_words", "skeleton", "SLOT"]

# a word, with its apostrophes kept inside: "children's", "don't", "l'eau" are one token each
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
SLOT = "_"
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


def tokens(text: str) -> list[str]:
    """Lowercased word tokens, apostrophes kept inside words (the tokenisation distinct-n,
    n-grams and skeletons are computed on)."""
    return _WORD.findall(text.lower())


def ngrams(toks: list[str], n: int) -> Iterator[tuple[str, ...]]:
    return zip(*(toks[i:] for i in range(n)))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Closed-class English words (``lexicons/function_words.txt``); everything else is content."""
    lines = (LEXICON_DIR / "function_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def skeleton(text: str) -> str:
    """The prompt with content words masked: a run of non-function tokens becomes one ``_``.

    "a photo of a red car and a blue dog" -> "a _ of a _ and a _": prompts made from one
    template with different slot values (numbers, objects, colours, styles) share a skeleton.
    """
    keep = function_words()
    out: list[str] = []
    for tok in tokens(text):
        word = tok if tok in keep else SLOT
        if not (word == SLOT and out and out[-1] == SLOT):
            out.append(word)
    return " ".join(out)
