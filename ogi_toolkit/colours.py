"""The colours a kind and a domain have in every figure and page, kept once: warm for
generation, cool for editing, as in the paper. Keyed by the taxonomy's ids; the figures that
show the paper's domain names look them up through the taxonomy. Pure hex strings, so every
layer (analysis, figures, pages) can use them without importing a plotting library.
"""
from __future__ import annotations

__all__ = ["DOMAIN_COLOURS", "KIND_COLOURS", "OTHER_COLOUR", "shade"]

KIND_COLOURS = {"generation": "#d9622b", "editing": "#2f6f9f"}
DOMAIN_COLOURS = {
    # generation: reds, oranges, golds
    "style_control": "#e4572e", "complex_instruction_following": "#f28e2b", "in_image_text_rendering": "#f2c14e",
    "spatial_reasoning": "#c8553d", "scientific_imagery": "#e8875b",
    # editing: blues, teals, greens, violets
    "subject_manipulation": "#4e79a7", "text_editing": "#76b7b2", "complex_instruction_editing": "#59a14f",
    "multi_turn_editing": "#8c6bb1", "global_editing": "#2f4b7c", "other_challenging_editing": "#5fa8d3",
}
OTHER_COLOUR = "#9a9a9a"  # a value with no colour of its own (unknown, folded into "other")


def shade(colour: str, amount: float) -> str:
    """``colour`` (``#rrggbb``) mixed with white (amount > 0) or black (amount < 0), amount in [-1, 1]."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    target = 255 if amount > 0 else 0
    return "#" + "".join(f"{round(c + (target - c) * abs(amount)):02x}" for c in rgb)
