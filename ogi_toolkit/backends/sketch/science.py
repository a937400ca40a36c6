"""Scientific figures: simple labelled diagrams and plots drawn with matplotlib (Agg).

One drawing per kind of concept (plot, chart, cycle, orbit, cross section, timeline, map,
circuit, mechanism, anatomy, food web, field lines, ray diagram; anything else is a labelled
flow diagram). Every label the scene asks for is drawn, and its box is recorded. Figures are
reused per size and guarded by a lock (matplotlib is not thread-safe).
"""
from __future__ import annotations

import logging
import math
import threading

import numpy as np

from ...spec import Scene
from .curves import axis_titles, curve_of, sample_curve
from .vocab import stable_int

_LOCK = threading.Lock()
_FIGURES: dict[tuple[int, int], object] = {}
_PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]


def _figure(width: int, height: int):
    if (width, height) not in _FIGURES:
        from matplotlib import font_manager, rcParams
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .fonts import font_files

        # the fallback fonts have no bold face; matplotlib would log that for every title
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

        families = ["DejaVu Sans"]
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


def _box(ax, x, y, text, colour, size):
    return ax.text(x, y, text, ha="center", va="center", fontsize=size, wrap=True,
                   bbox=dict(boxstyle="round,pad=0.4", fc="white", ec=colour, lw=1.5))


def _arrow(ax, a, b, colour="#333333"):
    ax.annotate("", xy=b, xytext=a, arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.5,
                                                     shrinkA=18, shrinkB=18))


def _flow(ax, labels, rng, fs):
    n = len(labels)
    cols = min(n, 3)
    texts = []
    for i, label in enumerate(labels):
        r, c = divmod(i, cols)
        x, y = 0.2 + 0.6 * c / max(1, cols - 1) if cols > 1 else 0.5, 0.75 - 0.35 * r
        texts.append(((x, y), _box(ax, x, y, label, _PALETTE[i % 8], fs)))
    for (a, _), (b, _) in zip(texts, texts[1:]):
        _arrow(ax, a, b)
    return [t for _, t in texts]


def _cycle(ax, labels, rng, fs):
    n = len(labels)
    pts = [(0.5 + 0.32 * math.cos(math.pi / 2 - 2 * math.pi * i / n), 0.47 + 0.32 * math.sin(math.pi / 2 - 2 * math.pi * i / n))
           for i in range(n)]
    texts = [_box(ax, x, y, label, _PALETTE[i % 8], fs) for i, ((x, y), label) in enumerate(zip(pts, labels))]
    for i in range(n):
        ax.annotate("", xy=pts[(i + 1) % n], xytext=pts[i], arrowprops=dict(
            arrowstyle="-|>", color="#555555", lw=1.5, connectionstyle="arc3,rad=-0.3", shrinkA=22, shrinkB=22))
    return texts


def _food_web(ax, labels, rng, fs):
    texts, pts = [], []
    for i, label in enumerate(labels):  # producers at the bottom, predators at the top
        level = i * 3 // max(1, len(labels))
        x = 0.2 + 0.6 * rng.random()
        y = 0.15 + 0.3 * level
        pts.append((x, y))
        texts.append(_box(ax, x, y, label, _PALETTE[level], fs))
    for i in range(1, len(pts)):
        _arrow(ax, pts[i - 1], pts[i], "#2e7d32")
    return texts


# Where a plot's label may sit around its point (offset in points), in order of preference.
_LABEL_OFFSETS = [(8, 10), (8, -10), (-8, 10), (-8, -10), (8, 26), (8, -26), (-8, 26), (-8, -26)]


def _place_label(text, renderer, curve_points, taken, prefer_below):
    """Moves a plot label to the spot around its point that stays inside the plot, overlaps
    no label placed before and covers the fewest points of the curve."""
    fig_box, ax_box = text.figure.bbox, text.axes.bbox
    order = _LABEL_OFFSETS[1::2] + _LABEL_OFFSETS[::2] if prefer_below else _LABEL_OFFSETS
    best = None
    for rank, (dx, dy) in enumerate(order):
        text.set(horizontalalignment="left" if dx > 0 else "right", verticalalignment="bottom" if dy > 0 else "top")
        text.xyann = (dx, dy)
        box = text.get_window_extent(renderer).padded(4)
        inside = box.x0 >= ax_box.x0 and box.x1 <= ax_box.x1 and box.y0 >= ax_box.y0 and box.y1 <= ax_box.y1
        on_figure = box.x0 >= 0 and box.x1 <= fig_box.width and box.y0 >= 0 and box.y1 <= fig_box.height
        covered = np.count_nonzero((curve_points[:, 0] >= box.x0) & (curve_points[:, 0] <= box.x1)
                                   & (curve_points[:, 1] >= box.y0) & (curve_points[:, 1] <= box.y1))
        score = (not on_figure, sum(box.overlaps(t) for t in taken), not inside, covered, rank)
        if best is None or score < best[0]:
            best = (score, dx, dy, box)
    _, dx, dy, box = best
    text.set(horizontalalignment="left" if dx > 0 else "right", verticalalignment="bottom" if dy > 0 else "top")
    text.xyann = (dx, dy)
    taken.append(box)


def _plot(ax, labels, rng, fs, concept=""):
    curve = curve_of(concept)
    x, ys = sample_curve(curve)
    axes = axis_titles(concept, labels)
    ax.set_axis_on()
    ax.set_position([0.14, 0.14, 0.8, 0.7])
    for i, y in enumerate(ys):
        ax.plot(x, y, color=_PALETTE[i % 8], lw=2.5)
    points = [np.c_[x, y] for y in ys]
    if curve == "scatter":  # the data the trend line is fitted to
        dots_x = np.linspace(x[0], x[-1], 16)[1:-1]
        dots_y = np.interp(dots_x, x, ys[0]) + rng.normal(0, 0.08 * np.nanmax(np.ptp(ys, axis=1)), dots_x.size)
        ax.plot(dots_x, dots_y, "o", color=_PALETTE[7], ms=5)
        points.append(np.c_[dots_x, dots_y])
    points = np.concatenate(points)
    points = points[np.isfinite(points[:, 1])]
    low, high = points[:, 1].min(), points[:, 1].max()
    ax.set_xlim(float(x[0]), float(x[-1]))
    ax.set_ylim(float(low) - 0.1 * (high - low), float(high) + 0.15 * (high - low))
    if low < 0 < high:  # the x-axis where the curve crosses it (roots, troughs, quadrants)
        ax.axhline(0, color="#555555", lw=1)
    if x[0] < 0 < x[-1]:
        ax.axvline(0, color="#555555", lw=1)
    ax.grid(alpha=0.3)
    ax.locator_params(nbins=5)  # few, short tick numbers leave room for the y title
    ax.yaxis.set_major_formatter("{x:g}")
    texts = []
    if axes:
        texts.append(ax.set_xlabel(axes[0], fontsize=fs))
    if len(axes) > 1:
        texts.append(ax.set_ylabel(axes[1], fontsize=fs))
    marks = [label for label in labels if label not in axes]
    renderer = ax.figure.canvas.get_renderer()
    on_screen, taken = ax.transData.transform(points), []
    for i, label in enumerate(marks):  # spread along the curve(s), each on a point that is drawn
        y = ys[i % len(ys)]
        at = x[0] + (x[-1] - x[0]) * (i + 1) / (len(marks) + 1)
        k = int(np.argmin(np.where(np.isfinite(y), np.abs(x - at), np.inf)))
        colour = _PALETTE[i % len(ys)] if len(ys) > 1 else _PALETTE[(i + 1) % 8]  # several curves: its curve's
        ax.plot([x[k]], [y[k]], "o", color=colour)
        text = ax.annotate(label, (x[k], y[k]), xytext=(8, 10), textcoords="offset points", fontsize=fs,
                           bbox=dict(boxstyle="round", fc="white", ec=colour))
        _place_label(text, renderer, on_screen, taken, prefer_below=i % 2 == 1)
        texts.append(text)
    return texts


def _chart(ax, labels, rng, fs):
    ax.set_axis_on()
    ax.set_position([0.12, 0.2, 0.82, 0.64])
    values = rng.integers(3, 12, len(labels))
    ax.bar(range(len(labels)), values, color=_PALETTE[: len(labels)])
    ax.set_xticks(range(len(labels)))
    ticks = ax.set_xticklabels(labels, fontsize=fs, rotation=15)
    return list(ticks)


def _orbit(ax, labels, rng, fs):
    from matplotlib.patches import Circle, Ellipse

    ax.add_patch(Circle((0.5, 0.45), 0.07, color="#f4b400"))
    texts = [ax.text(0.5, 0.45, labels[0], ha="center", va="center", fontsize=fs, weight="bold")]
    for i, label in enumerate(labels[1:]):
        a, b = 0.16 + 0.1 * i, 0.1 + 0.07 * i
        ax.add_patch(Ellipse((0.5, 0.45), 2 * a, 2 * b, fill=False, ls="--", color="#777777"))
        ang = 0.6 + 1.7 * i
        px, py = 0.5 + a * math.cos(ang), 0.45 + b * math.sin(ang)
        ax.add_patch(Circle((px, py), 0.02, color=_PALETTE[i % 8]))
        texts.append(ax.text(px, py + 0.045, label, ha="center", fontsize=fs))
    return texts


def _layers(ax, labels, rng, fs):
    from matplotlib.patches import Rectangle

    n = len(labels)
    texts = []
    for i, label in enumerate(labels):
        y0 = 0.85 - (i + 1) * 0.75 / n
        ax.add_patch(Rectangle((0.05, y0), 0.5, 0.75 / n, color=_PALETTE[i % 8], alpha=0.75))
        ax.plot([0.55, 0.61], [y0 + 0.375 / n] * 2, color="#333333")
        texts.append(ax.text(0.62, y0 + 0.375 / n, label, va="center", fontsize=fs))
    return texts


def _timeline(ax, labels, rng, fs):
    ax.annotate("", xy=(0.96, 0.45), xytext=(0.04, 0.45), arrowprops=dict(arrowstyle="-|>", lw=2.5))
    texts = []
    for i, label in enumerate(labels):
        x = 0.1 + 0.8 * i / max(1, len(labels) - 1)
        up = i % 2 == 0
        ax.plot([x, x], [0.45, 0.55 if up else 0.35], color=_PALETTE[i % 8], lw=2)
        texts.append(_box(ax, x, 0.62 if up else 0.28, label, _PALETTE[i % 8], fs))
    return texts


def _map(ax, labels, rng, fs):
    from matplotlib.patches import Polygon

    ax.set_facecolor("#cfe8f7")
    ax.add_patch(Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], color="#cfe8f7", zorder=0))
    texts = []
    for i, label in enumerate(labels):
        cx, cy = 0.2 + 0.6 * ((i * 0.37) % 1), 0.25 + 0.5 * ((i * 0.61) % 1)
        angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
        radius = 0.08 + 0.05 * rng.random(12)
        pts = np.c_[cx + radius * np.cos(angles), cy + radius * np.sin(angles) * 0.8]
        ax.add_patch(Polygon(pts, color=["#b8d8a8", "#e8d8a8", "#d8b8a8"][i % 3], ec="#666666"))
        texts.append(ax.text(cx, cy, label, ha="center", va="center", fontsize=fs))
    ax.annotate("N", xy=(0.92, 0.9), xytext=(0.92, 0.78), ha="center", fontsize=fs,
                arrowprops=dict(arrowstyle="-|>", lw=2))
    return texts


def _circuit(ax, labels, rng, fs):
    from matplotlib.patches import Rectangle

    ax.plot([0.15, 0.85, 0.85, 0.15, 0.15], [0.25, 0.25, 0.7, 0.7, 0.25], color="#333333", lw=2)
    spots = [(0.15, 0.47), (0.5, 0.7), (0.85, 0.47), (0.5, 0.25), (0.32, 0.7), (0.68, 0.25)]
    texts = []
    for i, label in enumerate(labels):
        x, y = spots[i % len(spots)]
        ax.add_patch(Rectangle((x - 0.05, y - 0.03), 0.1, 0.06, color=_PALETTE[i % 8], zorder=3))
        dy = 0.08 if y > 0.5 else -0.08
        texts.append(ax.text(x + (0.09 if x < 0.2 else -0.09 if x > 0.8 else 0), y + (0 if x in (0.15, 0.85) else dy),
                             label, ha="center", va="center", fontsize=fs))
    return texts


def _mechanism(ax, labels, rng, fs):
    from matplotlib.patches import Circle, RegularPolygon

    texts = []
    for i, label in enumerate(labels):
        x, y, r = 0.22 + 0.28 * (i % 3), 0.6 - 0.3 * (i // 3), 0.09 + 0.02 * (i % 2)
        ax.add_patch(RegularPolygon((x, y), 12, radius=r * 1.15, color=_PALETTE[i % 8], alpha=0.85))
        ax.add_patch(Circle((x, y), r * 0.35, color="white"))
        texts.append(ax.text(x, y - r - 0.06, label, ha="center", fontsize=fs))
    return texts


def _anatomy(ax, labels, rng, fs):
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse((0.42, 0.47), 0.6, 0.7, color="#f2c6b4", ec="#9c5b4a", lw=2))
    texts = []
    for i, label in enumerate(labels):
        ang = 2 * math.pi * i / len(labels)
        px, py = 0.42 + 0.15 * math.cos(ang), 0.47 + 0.18 * math.sin(ang)
        ax.add_patch(Ellipse((px, py), 0.1, 0.08, color=_PALETTE[i % 8]))
        tx = 0.76
        ty = 0.85 - 0.7 * i / max(1, len(labels) - 1)
        ax.plot([px, tx - 0.02], [py, ty], color="#555555", lw=1)
        texts.append(ax.text(tx, ty, label, va="center", fontsize=fs))
    return texts


def _field_lines(ax, labels, rng, fs):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((0.3, 0.42), 0.2, 0.1, color="#c44e52"))
    ax.add_patch(Rectangle((0.5, 0.42), 0.2, 0.1, color="#4c72b0"))
    for k in range(1, 5):
        t = np.linspace(0, np.pi, 60)
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 + 0.07 * k * np.sin(t), color="#777777")
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 - 0.07 * k * np.sin(t), color="#777777")
    return [ax.text(0.2 + 0.6 * i / max(1, len(labels) - 1), 0.12 if i % 2 else 0.85, label, ha="center", fontsize=fs)
            for i, label in enumerate(labels)]


def _rays(ax, labels, rng, fs):
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse((0.5, 0.47), 0.05, 0.5, color="#9ecae1", alpha=0.8))
    ax.plot([0.05, 0.95], [0.47, 0.47], color="#333333", lw=1)
    for y in (0.6, 0.47, 0.34):
        ax.plot([0.1, 0.5, 0.8], [y, y, 0.47 - (y - 0.47) * 0.6], color="#dd8452", lw=1.5)
    return [ax.text(0.15 + 0.7 * i / max(1, len(labels) - 1), 0.82 if i % 2 == 0 else 0.12, label, ha="center",
                    fontsize=fs) for i, label in enumerate(labels)]


DRAWERS = {"cycle": _cycle, "life_cycle": _cycle, "food_web": _food_web, "chart": _chart, "orbit": _orbit,
           "cross_section": _layers, "timeline": _timeline, "map": _map, "circuit": _circuit,
           "mechanism": _mechanism, "anatomy": _anatomy, "field_lines": _field_lines, "ray_diagram": _rays}


def render_science(scene: Scene, width: int, height: int, seed: int) -> tuple[np.ndarray, list[dict]]:
    """The figure as an RGB array and the record of every label drawn (text and box)."""
    kind = (scene.concept_kind or "diagram").lower()
    labels = _labels(scene)
    rng = np.random.default_rng(stable_int("science", scene.concept, seed) % 2 ** 32)
    fs = max(6, round(min(width, height) / 48))
    with _LOCK:
        fig = _figure(width, height)
        fig.clf()
        fig.patch.set_facecolor("#fbfaf5")
        ax = fig.add_axes([0.03, 0.06, 0.94, 0.8])
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_axis_off()
        title = fig.suptitle(_title(scene), fontsize=fs * 1.5, weight="bold", y=0.95)
        if kind == "plot":
            texts = _plot(ax, labels, rng, fs, scene.concept or "")
        else:
            texts = DRAWERS.get(kind, _flow)(ax, labels, rng, fs)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        records = []
        for t in [title, *texts]:
            x0, y0, x1, y1 = t.get_window_extent(renderer).extents
            records.append({"text": t.get_text(), "box": [round(x0), round(height - y1), round(x1), round(height - y0)]})
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    return pixels, records
