"""Scientific figures: simple labelled diagrams and plots drawn with matplotlib (Agg).

One drawing per kind of concept (plot, chart, cycle, orbit, cross section, timeline, map,
circuit, mechanism, anatomy, food web, field lines, ray diagram; anything else is a labelled
flow diagram). Every label the scene asks for is drawn, and its box is recorded. Figures are
reused per size and guarded by a lock (matplotlib is not thread-safe). This module is the
entry and the figure cache; the drawers are in :mod:`.science_diagrams` and
:mod:`.science_plots`.
"""
from __future__ import annotations

import logging
import threading

import numpy as np

from ...spec import Scene
from . import science_diagrams as diagrams
from .science_concepts import CONCEPT_DRAWERS
from .science_plots import chart, plot
from .vocab import stable_int

__all__ = ["DRAWERS", "figure_info", "figure_kind", "render_science"]


_LOCK = threading.Lock()


_FIGURES: dict[tuple[int, int], object] = {}


def _figure(width: int, height: int):
    if (width, height) not in _FIGURES:
        from matplotlib import font_manager, rcParams
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .fonts import font_files

        # the fallback fonts have no bold face; matplotlib would log that for every title
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

        families = ["DejaVu Sans"]
        if "Caveat" in font_files():  # the hand-drawn looks' face
            font_manager.fontManager.addfont(str(font_files()["Caveat"]))
        for name in ("NotoSansCJKjp-Regular", "NotoSansDevanagari"):
            if name in font_files():  # glyph fallback for labels in other scripts
                font_manager.fontManager.addfont(str(font_files()[name]))
                families.append(font_manager.FontProperties(fname=str(font_files()[name])).get_name())
        rcParams["font.family"] = families
        rcParams["svg.hashsalt"] = "ogi"  # no random ids anywhere
        fig = Figure(figsize=(width / 100, height / 100), dpi=100)
        FigureCanvasAgg(fig)
        _FIGURES[(width, height)] = fig
    return _FIGURES[(width, height)]


def _title(scene: Scene) -> str:
    text = (scene.concept or scene.description or "diagram").replace("_", " ")
    return text[:1].upper() + text[1:]


def _labels(scene: Scene) -> list[str]:
    return list(scene.labels) or [o.name for o in scene.objects] or ["A", "B", "C"]


DRAWERS = {"cycle": diagrams.cycle, "life_cycle": diagrams.life_cycle, "diagram": diagrams.labelled,
           "illustration": diagrams.illustration, "construction": diagrams.construction,
           "exploded_view": diagrams.exploded, "food_web": diagrams.food_web, "chart": chart, "orbit": diagrams.orbit,
           "cross_section": diagrams.layers, "timeline": diagrams.timeline, "map": diagrams.map_, "circuit": diagrams.circuit,
           "mechanism": diagrams.mechanism, "anatomy": diagrams.anatomy, "field_lines": diagrams.field_lines,
           "ray_diagram": diagrams.rays}


_FACES = {"sans": "DejaVu Sans", "serif": "DejaVu Serif", "mono": "DejaVu Sans Mono"}


def figure_kind(scene: Scene) -> str:
    """The drawer a science scene gets: the concept's own layout (``concept``) when it has one,
    else its concept kind's figure (``flow`` when the kind has none: a process of steps)."""
    if scene.concept in CONCEPT_DRAWERS:
        return "concept"
    kind = (scene.concept_kind or "diagram").lower()
    return kind if kind == "plot" or kind in DRAWERS else "flow"


def figure_info(scene: Scene) -> dict:
    """The layout record's ``figure``: which figure (kind), in which presentation format and look."""
    from .science_looks import look_for, presentation_of

    return {"kind": figure_kind(scene), "presentation": presentation_of(scene.description),
            "look": look_for(scene.description).name}


def _decorate(fig, look) -> None:
    """The look's paper: ruled lines, a grid, a frame, a title band, chalk dust."""
    from matplotlib.patches import Rectangle

    bg = fig.add_axes([0, 0, 1, 1], zorder=-1)
    bg.set_axis_off()
    bg.set_xlim(0, 1)
    bg.set_ylim(0, 1)
    if look.decoration == "ruled":
        for y in np.arange(0.04, 0.9, 0.045):
            bg.plot([0, 1], [y, y], color="#a8c4e8", lw=0.8)
        bg.plot([0.07, 0.07], [0, 1], color="#e49a9a", lw=1.2)
    elif look.decoration == "grid":
        for v in np.arange(0, 1.001, 0.04):
            bg.plot([v, v], [0, 1], color="#ffffff", lw=0.5, alpha=0.25)
            bg.plot([0, 1], [v, v], color="#ffffff", lw=0.5, alpha=0.25)
    elif look.decoration == "frame":
        bg.add_patch(Rectangle((0.012, 0.012), 0.976, 0.976, fill=False, ec=look.ink, lw=3))
        bg.add_patch(Rectangle((0.024, 0.024), 0.952, 0.952, fill=False, ec=look.ink, lw=1))
    elif look.decoration == "band":
        bg.add_patch(Rectangle((0, 0.87), 1, 0.13, color=look.palette[0]))
    elif look.decoration == "chalk_dust":
        rng = np.random.default_rng(7)
        bg.scatter(rng.random(300), rng.random(300), s=1, color="white", alpha=0.2)
        bg.add_patch(Rectangle((0, 0), 1, 0.025, color="#8a5a2b"))


def _apply_look(fig, ax, look, title) -> None:
    """Paper, ink, face, fills and strokes of the look on everything the drawer drew."""
    from matplotlib import colors, patheffects
    from matplotlib.patches import FancyBboxPatch
    from matplotlib.text import Text

    from .fonts import font_files

    fig.patch.set_facecolor(look.paper)
    ax.set_facecolor(look.paper if ax.axison else "none")
    face = _FACES.get(look.font, "DejaVu Sans")
    if look.font == "hand" and "Caveat" in font_files():
        face = "Caveat"
    for artist in fig.findobj(Text):
        artist.set_color(look.ink)
        artist.set_fontfamily([face, "DejaVu Sans"])
        if face == "Caveat":  # a handwritten face runs small: the same reading size
            artist.set_fontsize(artist.get_fontsize() * 1.3)
        frame = artist.get_bbox_patch()
        if frame is not None and frame.get_facecolor()[:3] in ((1.0, 1.0, 1.0),):
            frame.set_facecolor(look.box)
    if look.decoration == "band":
        title.set_color(look.paper)
    if ax.axison:
        ax.tick_params(colors=look.ink)
        for spine in ax.spines.values():
            spine.set_color(look.ink)
    for patch in ax.patches:
        if look.fill_alpha < 1 and not isinstance(patch, FancyBboxPatch) or look.fill_alpha == 0:
            fc = patch.get_facecolor()
            patch.set_facecolor(colors.to_rgba(fc, min(fc[3], look.fill_alpha)))
            patch.set_edgecolor(look.ink)
            patch.set_linewidth(1.2)
        if look.decoration == "shadow":
            patch.set_path_effects([patheffects.withSimplePatchShadow(offset=(4, -4), alpha=0.35)])
    if look.hand_drawn:
        for artist in [*ax.lines, *ax.patches, *ax.texts]:
            if not isinstance(artist, Text):
                artist.set_sketch_params(1.2, 60, 2)


def render_science(scene: Scene, width: int, height: int, seed: int) -> tuple[np.ndarray, list[dict]]:
    """The figure as an RGB array and the record of every label drawn (text and box; a plot's
    marks also ``at``, the pixel of the point they name, and ``anchor``, the rule that chose it)."""
    from .science_looks import look_for

    kind = figure_kind(scene)
    look = look_for(scene.description)
    labels = _labels(scene)
    rng = np.random.default_rng(stable_int("science", scene.concept, seed) % 2 ** 32)
    fs = max(6, round(min(width, height) / 48))
    with _LOCK:
        fig = _figure(width, height)
        fig.clf()
        fig.patch.set_facecolor("#fbfaf5")
        _decorate(fig, look)
        ax = fig.add_axes([0.03, 0.06, 0.94, 0.8])
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
        title = fig.suptitle(_title(scene), fontsize=fs * 1.5, weight="bold", y=0.95)
        anchors: dict[int, tuple[float, float, str]] = {}
        if kind == "plot":
            texts, anchors = plot(ax, labels, rng, fs, look, scene.concept or "")
        else:
            drawer = CONCEPT_DRAWERS[scene.concept] if kind == "concept" else DRAWERS.get(kind, diagrams.flow)
            texts = drawer(ax, labels, rng, fs, look)
        _apply_look(fig, ax, look, title)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        records = []
        for n, t in enumerate([title, *texts]):
            x0, y0, x1, y1 = t.get_window_extent(renderer).extents
            rec = {"text": t.get_text(), "box": [round(x0), round(height - y1), round(x1), round(height - y0)]}
            anchor = anchors.get(n - 1)
            if anchor is not None:
                px, py = ax.transData.transform((anchor[0], anchor[1]))
                rec.update({"at": [round(float(px)), round(height - float(py))], "anchor": anchor[2]})
            records.append(rec)
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    return pixels, records
