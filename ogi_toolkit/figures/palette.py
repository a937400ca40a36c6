"""Colours shared by every figure: warm for generation, cool for editing, as in the paper.

The 11 paper domains have fixed colours, so a user's dataset and the paper's use the same
colour for the same domain. Domains the paper does not have (an extended taxonomy,
``unlabelled`` imports) take the next free colour of their kind, in sorted order, so the
assignment is the same on every run.
"""
from __future__ import annotations

from collections.abc import Iterable

from matplotlib.colors import to_hex, to_rgb

KIND_COLOURS = {"generation": "#d9622b", "editing": "#2f6f9f"}
UNKNOWN_COLOUR = "#9a9a9a"
BASELINE_COLOUR = "#b8b8b8"

DOMAIN_COLOURS = {
    # generation: reds, oranges, golds
    "Style Control": "#e4572e",
    "Complex Instruction Following": "#f28e2b",
    "In-Image Text Rendering": "#f2c14e",
    "Spatial Reasoning": "#c8553d",
    "Scientific Imagery": "#e8875b",
    # editing: blues, teals, greens, violets
    "Subject Manipulation": "#4e79a7",
    "Text Editing": "#76b7b2",
    "Complex Instruction Editing": "#59a14f",
    "Multi-turn Editing": "#8c6bb1",
    "Global Editing": "#2f4b7c",
    "Other Challenging Editing": "#5fa8d3",
}
# extra colours for domains outside the paper's taxonomy
_SPARE = {
    "generation": ["#b5651d", "#f4a582", "#d6604d", "#fdb863", "#a0522d"],
    "editing": ["#3c8d93", "#7fa7d9", "#4a6d8c", "#9e9ac8", "#41ab5d"],
}


def domain_colours(domains: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Colour for each ``(kind, domain)``: the paper's colour, else a spare of that kind."""
    out: dict[str, str] = {}
    used = {kind: 0 for kind in _SPARE}
    for kind, domain in sorted(set(domains), key=lambda kd: (kd[0], kd[1])):
        if domain in DOMAIN_COLOURS:
            out[domain] = DOMAIN_COLOURS[domain]
        elif kind in _SPARE:
            spares = _SPARE[kind]
            out[domain] = spares[used[kind] % len(spares)]
            used[kind] += 1
        else:
            out[domain] = UNKNOWN_COLOUR
    return out


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_COLOUR)


def shade(colour: str, amount: float) -> str:
    """Mix ``colour`` with white (amount > 0) or black (amount < 0); amount in [-1, 1]."""
    r, g, b = to_rgb(colour)
    target = 1.0 if amount > 0 else 0.0
    a = abs(amount)
    return to_hex((r + (target - r) * a, g + (target - g) * a, b + (target - b) * a))


def subtask_shades(colour: str, n: int) -> list[str]:
    """``n`` distinguishable tints of a domain colour for its subtasks (light to dark)."""
    if n == 1:
        return [shade(colour, 0.25)]
    return [shade(colour, 0.55 - 0.7 * i / (n - 1)) for i in range(n)]
