"""Colours shared by every figure: warm for generation, cool for editing, as in the paper.

The 11 paper domains have fixed colours (:mod:`ogi_toolkit.colours`), so a user's dataset and the paper's use the same
colour for the same domain. Domains the paper does not have (an extended taxonomy,
``unlabelled`` imports) take the next free colour of their kind, in sorted order, so the
assignment is the same on every run.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from ..colours import DOMAIN_COLOURS, KIND_COLOURS, shade
from ..colours import OTHER_COLOUR as UNKNOWN_COLOUR
from .counts import taxonomy_names

__all__ = ["BASELINE_COLOUR", "KIND_COLOURS", "UNKNOWN_COLOUR", "domain_colours", "kind_colour", "shade",
           "subtask_shades"]

BASELINE_COLOUR = "#b8b8b8"
# extra colours for domains outside the paper's taxonomy
_SPARE = {
    "generation": ["#b5651d", "#f4a582", "#d6604d", "#fdb863", "#a0522d"],
    "editing": ["#3c8d93", "#7fa7d9", "#4a6d8c", "#9e9ac8", "#41ab5d"],
}


@cache
def _paper_colours() -> dict[str, str]:
    """The domain colours by taxonomy id and by the paper's name (the figures' tables use names)."""
    names = taxonomy_names()[0]
    return {**DOMAIN_COLOURS, **{names[i]: colour for i, colour in DOMAIN_COLOURS.items() if i in names}}


def domain_colours(domains: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Colour for each ``(kind, domain)``: the paper's colour, else a spare of that kind."""
    out: dict[str, str] = {}
    used = {kind: 0 for kind in _SPARE}
    for kind, domain in sorted(set(domains), key=lambda kd: (kd[0], kd[1])):
        if domain in _paper_colours():
            out[domain] = _paper_colours()[domain]
        elif kind in _SPARE:
            spares = _SPARE[kind]
            out[domain] = spares[used[kind] % len(spares)]
            used[kind] += 1
        else:
            out[domain] = UNKNOWN_COLOUR
    return out


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_COLOUR)


def subtask_shades(colour: str, n: int) -> list[str]:
    """``n`` distinguishable tints of a domain colour for its subtasks (light to dark)."""
    if n == 1:
        return [shade(colour, 0.25)]
    return [shade(colour, 0.55 - 0.7 * i / (n - 1)) for i in range(n)]
