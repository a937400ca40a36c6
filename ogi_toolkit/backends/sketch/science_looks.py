"""How a scientific figure looks: one look per presentation format of the pool.

A science scene names its format at the start of its description ("hand-drawn notebook sketch
of Archimedes' principle: ..."), in the words of the ``presentations`` pool. Each format gets
its own paper, ink, palette, face, stroke and decoration (ruled notebook lines, a blueprint
grid, a chalkboard, a wall chart's frame, a poster's title band), so the format shows.
"""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


@dataclass(frozen=True)
class Look:
    name: str
    paper: str = "#fbfaf5"  # the figure's background
    ink: str = "#222222"  # text and line colour
    palette: tuple[str, ...] = DEFAULT_PALETTE
    box: str = "white"  # the fill of a label's frame
    font: str = "sans"  # sans, serif, mono, hand
    hand_drawn: bool = False  # wobbly strokes (matplotlib sketch params)
    decoration: str | None = None  # ruled, grid, frame, band, chalk_dust, shadow
    fill_alpha: float = 1.0  # how solid the shapes are (a line diagram draws outlines)


LOOKS: dict[str, Look] = {look.name: look for look in (
    Look("textbook_diagram"),
    Look("flat_infographic", paper="#eaf2f8", palette=("#0077b6", "#f77f00", "#2a9d8f", "#e63946", "#6a4c93",
                                                        "#ffb703", "#8ecae6", "#577590")),
    Look("chalkboard_sketch", paper="#2f4a3a", ink="#f2f2ea", box="#3b5a48", font="hand", hand_drawn=True,
         palette=("#f2f2ea", "#f7d77a", "#9ad1f5", "#f5a3a3", "#b9e4a8", "#e2c2f0", "#f2f2ea", "#cfcfc5"),
         decoration="chalk_dust"),
    Look("blueprint", paper="#1d4f91", ink="#eaf4ff", box="#1d4f91", font="mono", decoration="grid",
         palette=("#eaf4ff", "#bfe0ff", "#94c8ff", "#eaf4ff", "#bfe0ff", "#94c8ff", "#eaf4ff", "#bfe0ff"), fill_alpha=0.25),
    Look("watercolour_plate", paper="#f6efe0", ink="#4a3f35", font="serif", fill_alpha=0.55,
         palette=("#7fa7c9", "#e3a27f", "#9cc39a", "#d98e8e", "#b3a2cf", "#c9b38a", "#e5b3cf", "#a9a9a9")),
    Look("engraved_plate", paper="#f1e9d4", ink="#2a2018", font="serif", decoration="frame",
         palette=("#4a3a2a", "#6b5540", "#3a3a3a", "#5a4632", "#2f2a24", "#7a6650", "#4a3a2a", "#6b5540"), fill_alpha=0.35),
    Look("cutaway_render", paper="#2a2d34", ink="#f0f0f0", box="#3a3e48", decoration="shadow",
         palette=("#4fc3f7", "#ff8a65", "#81c784", "#e57373", "#ba68c8", "#ffd54f", "#f06292", "#90a4ae")),
    Look("museum_poster", paper="#1c1a17", ink="#efe4cc", box="#2b2722", font="serif", decoration="band",
         palette=("#d4a848", "#b5533c", "#6f8f72", "#c9b28a", "#8c6d46", "#d4a848", "#b5533c", "#6f8f72")),
    Look("notebook_sketch", paper="#fffdf4", ink="#1d2f7a", box="#fffdf4", font="hand", hand_drawn=True,
         decoration="ruled", palette=("#1d2f7a", "#c0392b", "#1d2f7a", "#2e7d32", "#1d2f7a", "#c0392b", "#1d2f7a", "#555555"),
         fill_alpha=0.2),
    Look("whiteboard_drawing", paper="#ffffff", ink="#1b3f8f", font="hand", hand_drawn=True,
         palette=("#1b5fbf", "#d62828", "#2a9d3a", "#1b5fbf", "#d62828", "#2a9d3a", "#111111", "#1b5fbf"), fill_alpha=0.3),
    Look("isometric_illustration", paper="#e8f0f6", decoration="shadow",
         palette=("#3f88c5", "#f49d37", "#44af69", "#d72638", "#8c5fbf", "#f2c14e", "#4ecdc4", "#7d8597")),
    Look("labelled_photograph", paper="#5d5a55", ink="#ffffff", box="#222222",
         palette=("#a3b18a", "#dda15e", "#bc6c25", "#606c38", "#e9edc9", "#b08968", "#ddb892", "#7f5539")),
    Look("vintage_school_chart", paper="#e9d9b4", ink="#3a2a18", font="serif", decoration="frame",
         palette=("#b5533c", "#6b8e4e", "#d1a13b", "#4f6d8f", "#8e5a7a", "#a47148", "#b5533c", "#6b8e4e")),
    Look("scientific_poster", paper="#ffffff", decoration="band",
         palette=("#003f5c", "#ffa600", "#58508d", "#ff6361", "#2f9e44", "#bc5090", "#003f5c", "#ffa600")),
    Look("minimalist_line_diagram", paper="#ffffff", ink="#111111", fill_alpha=0.0,
         palette=("#111111", "#555555", "#111111", "#555555", "#111111", "#555555", "#111111", "#555555")),
    Look("children_encyclopedia", paper="#fff4cf", font="sans",
         palette=("#ff595e", "#1982c4", "#8ac926", "#ffca3a", "#6a4c93", "#ff924c", "#52a675", "#4267ac")),
)}


def presentation_of(description: str | None) -> str | None:
    """The id of the presentation format a science description starts with (pool names,
    longest first), else None."""
    from .vocab import pools

    text = (description or "").lower()
    p = pools()
    if not text or p is None or "presentations" not in p:
        return None
    for item in sorted(p["presentations"], key=lambda i: -len(i.name)):
        if text.startswith(item.name.lower()) or text.startswith(f"{item.article} {item.name.lower()}"):
            return item.id
    return None


def look_for(description: str | None) -> Look:
    return LOOKS.get(presentation_of(description) or "", LOOKS["textbook_diagram"])
