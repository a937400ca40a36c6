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


def _box(ax, x, y, text, colour, size):
    return ax.text(x, y, text, ha="center", va="center", fontsize=size, wrap=True,
                   bbox=dict(boxstyle="round,pad=0.4", fc="white", ec=colour, lw=1.5))


def _link(ax, a, b, colour="#333333", rad=0.0):
    """An arrow from label ``a``'s frame to label ``b``'s frame (edge to edge: never through a label)."""
    ax.annotate("", xy=(0.5, 0.5), xycoords=b, xytext=(0.5, 0.5), textcoords=a,
                arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.5, shrinkA=3, shrinkB=3,
                                patchA=a.get_bbox_patch(), patchB=b.get_bbox_patch(),
                                connectionstyle=f"arc3,rad={rad}"))


def _arrow(ax, a, b, colour="#333333"):
    ax.annotate("", xy=b, xytext=a, arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.5,
                                                     shrinkA=18, shrinkB=18))


def _flow(ax, labels, rng, fs, look):
    n = len(labels)
    cols = min(n, 3)
    texts = []
    for i, label in enumerate(labels):
        r, c = divmod(i, cols)
        x, y = 0.2 + 0.6 * c / max(1, cols - 1) if cols > 1 else 0.5, 0.75 - 0.35 * r
        texts.append(((x, y), _box(ax, x, y, label, look.palette[i % 8], fs)))
    for (_, a), (_, b) in zip(texts, texts[1:]):
        _link(ax, a, b)
    return [t for _, t in texts]


def _cycle(ax, labels, rng, fs, look):
    n = len(labels)
    pts = [(0.5 + 0.32 * math.cos(math.pi / 2 - 2 * math.pi * i / n), 0.47 + 0.32 * math.sin(math.pi / 2 - 2 * math.pi * i / n))
           for i in range(n)]
    texts = [_box(ax, x, y, label, look.palette[i % 8], fs) for i, ((x, y), label) in enumerate(zip(pts, labels))]
    for i in range(n if n > 2 else n - 1):
        _link(ax, texts[i], texts[(i + 1) % n], "#555555", rad=-0.3)
    return texts


def _life_cycle(ax, labels, rng, fs, look):
    """A cycle whose stages grow: a dot for the first (egg, seed, spore), bigger each stage."""
    from matplotlib.patches import Circle

    n = len(labels)
    texts = []
    for i, label in enumerate(labels):
        ang = math.pi / 2 - 2 * math.pi * i / n
        x, y = 0.5 + 0.3 * math.cos(ang), 0.47 + 0.3 * math.sin(ang)
        ax.add_patch(Circle((x, y), 0.025 + 0.05 * i / max(1, n - 1), color=look.palette[i % 8], alpha=0.8))
        c = math.cos(ang)
        lx, ly = 0.5 + 0.37 * c, 0.47 + 0.4 * math.sin(ang)
        ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"  # outward, never off the page
        texts.append(ax.text(lx, ly, label, ha=ha, va="center", fontsize=fs))
    for i in range(n):
        a0 = math.pi / 2 - 2 * math.pi * (i + 0.25) / n
        a1 = math.pi / 2 - 2 * math.pi * (i + 0.75) / n
        ax.annotate("", xy=(0.5 + 0.3 * math.cos(a1), 0.47 + 0.3 * math.sin(a1)),
                    xytext=(0.5 + 0.3 * math.cos(a0), 0.47 + 0.3 * math.sin(a0)),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.5, connectionstyle="arc3,rad=-0.25"))
    return texts


def _labelled(ax, labels, rng, fs, look):
    """A labelled diagram: the subject in the middle, each label on a leader line to its own
    point of it (left and right columns, as a textbook labels a drawing)."""
    from matplotlib.patches import FancyBboxPatch, Ellipse

    ax.add_patch(FancyBboxPatch((0.33, 0.2), 0.34, 0.55, boxstyle="round,pad=0.02", color=look.palette[0], alpha=0.3))
    ax.add_patch(Ellipse((0.5, 0.56), 0.2, 0.2, color=look.palette[1], alpha=0.5))
    ax.add_patch(FancyBboxPatch((0.4, 0.26), 0.2, 0.14, boxstyle="round,pad=0.01", color=look.palette[2], alpha=0.5))
    texts = []
    for i, label in enumerate(labels):
        left = i % 2 == 0
        row = i // 2
        rows = math.ceil(len(labels) / 2)
        ty = 0.78 - 0.56 * row / max(1, rows - 1) if rows > 1 else 0.5
        px, py = (0.42 if left else 0.58), 0.3 + 0.4 * (i + 0.5) / len(labels)
        tx = 0.06 if left else 0.94
        ax.plot([px], [py], "o", color=look.palette[(i + 3) % 8], ms=5)
        ax.plot([tx + (0.1 if left else -0.1), px], [ty, py], color="#555555", lw=1)
        texts.append(ax.text(tx, ty, label, ha="left" if left else "right", va="center", fontsize=fs))
    return texts


def _illustration(ax, labels, rng, fs, look):
    """A plate with numbered markers on the subject and a numbered key beside it."""
    from matplotlib.patches import Ellipse, Rectangle

    ax.add_patch(Rectangle((0.04, 0.1), 0.56, 0.72, fill=False, ec="#555555", lw=1.5))
    ax.add_patch(Ellipse((0.32, 0.46), 0.42, 0.5, color=look.palette[2], alpha=0.45))
    ax.add_patch(Ellipse((0.26, 0.56), 0.14, 0.12, color=look.palette[1], alpha=0.6))
    texts = []
    for i, label in enumerate(labels):
        ang = 2 * math.pi * i / max(1, len(labels))
        mx, my = 0.32 + 0.14 * math.cos(ang), 0.46 + 0.17 * math.sin(ang)
        ax.text(mx, my, str(i + 1), ha="center", va="center", fontsize=fs, color="white", weight="bold",
                bbox=dict(boxstyle="circle,pad=0.25", fc=look.palette[i % 8], ec="none"))
        ky = 0.78 - 0.6 * i / max(1, len(labels) - 1)
        ax.text(0.65, ky, str(i + 1), ha="center", va="center", fontsize=fs, weight="bold")
        texts.append(ax.text(0.69, ky, label, va="center", fontsize=fs))
    return texts


def _construction(ax, labels, rng, fs, look):
    """A geometric construction: a triangle, its circumcircle and compass arcs, the labels at
    its vertices and sides."""
    from matplotlib.patches import Arc, Circle, Polygon

    pts = [(0.22, 0.2), (0.78, 0.2), (0.42, 0.72)]
    ax.add_patch(Polygon(pts, fill=False, ec=look.palette[0], lw=2))
    (ax_, ay), (bx, by), (cx, cy) = pts
    d = 2 * (ax_ * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    ux = ((ax_ ** 2 + ay ** 2) * (by - cy) + (bx ** 2 + by ** 2) * (cy - ay) + (cx ** 2 + cy ** 2) * (ay - by)) / d
    uy = ((ax_ ** 2 + ay ** 2) * (cx - bx) + (bx ** 2 + by ** 2) * (ax_ - cx) + (cx ** 2 + cy ** 2) * (bx - ax_)) / d
    ax.add_patch(Circle((ux, uy), math.dist((ux, uy), pts[0]), fill=False, ls="--", ec=look.palette[1], lw=1.2))
    for (x, y) in pts[:2]:
        ax.add_patch(Arc((x, y), 0.5, 0.5, theta1=40, theta2=80, ec="#777777", lw=1))
    spots = [(ax_ - 0.04, ay - 0.05), (bx + 0.04, by - 0.05), (cx, cy + 0.06), ((ax_ + bx) / 2, ay - 0.07),
             ((bx + cx) / 2 + 0.07, (by + cy) / 2), ((ax_ + cx) / 2 - 0.07, (ay + cy) / 2), (ux, uy - 0.05)]
    texts = []
    for i, label in enumerate(labels):
        x, y = spots[i % len(spots)]
        texts.append(ax.text(x, y, label, ha="center", va="center", fontsize=fs))
    return texts


def _exploded(ax, labels, rng, fs, look):
    """An exploded view: the parts pulled apart along a dashed assembly axis, each named by a
    leader line."""
    from matplotlib.patches import FancyBboxPatch

    n = len(labels)
    ax.plot([0.2, 0.6], [0.12, 0.82], ls="--", color="#777777", lw=1)
    texts = []
    for i, label in enumerate(labels):
        t = i / max(1, n - 1)
        x, y = 0.2 + 0.4 * t, 0.12 + 0.7 * t
        ax.add_patch(FancyBboxPatch((x - 0.1, y - 0.035), 0.2, 0.07, boxstyle="round,pad=0.01",
                                    color=look.palette[i % 8], alpha=0.85))
        ax.plot([x + 0.1, 0.7], [y, y], color="#555555", lw=1)
        texts.append(ax.text(0.71, y, label, va="center", fontsize=fs))
    return texts


def _food_web(ax, labels, rng, fs, look):
    texts, pts = [], []
    for i, label in enumerate(labels):  # producers at the bottom, predators at the top
        level = i * 3 // max(1, len(labels))
        x = 0.2 + 0.6 * rng.random()
        y = 0.15 + 0.3 * level
        pts.append((x, y))
        texts.append(_box(ax, x, y, label, look.palette[level], fs))
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


def _plot(ax, labels, rng, fs, look, concept=""):
    curve = curve_of(concept)
    x, ys = sample_curve(curve)
    axes = axis_titles(concept, labels)
    ax.set_axis_on()
    ax.set_position([0.14, 0.14, 0.8, 0.7])
    for i, y in enumerate(ys):
        ax.plot(x, y, color=look.palette[i % 8], lw=2.5)
    points = [np.c_[x, y] for y in ys]
    if curve == "scatter":  # the data the trend line is fitted to
        dots_x = np.linspace(x[0], x[-1], 16)[1:-1]
        dots_y = np.interp(dots_x, x, ys[0]) + rng.normal(0, 0.08 * np.nanmax(np.ptp(ys, axis=1)), dots_x.size)
        ax.plot(dots_x, dots_y, "o", color=look.palette[7], ms=5)
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
    anchors: dict[int, tuple[float, float, str]] = {}  # text index -> the point it names, for the record
    renderer = ax.figure.canvas.get_renderer()
    on_screen, taken = ax.transData.transform(points), []
    for i, label in enumerate(marks):  # at the point the label names, else spread along the curve(s)
        named = named_point(label, x, ys)
        if named is not None:
            c, k, rule = named
        else:
            c, rule = i % len(ys), "spread"
            y = ys[c]
            at = x[0] + (x[-1] - x[0]) * (i + 1) / (len(marks) + 1)
            k = int(np.argmin(np.where(np.isfinite(y), np.abs(x - at), np.inf)))
        y = ys[c]
        colour = look.palette[c] if len(ys) > 1 else look.palette[(i + 1) % 8]  # several curves: its curve's
        ax.plot([x[k]], [y[k]], "o", color=colour)
        text = ax.annotate(label, (x[k], y[k]), xytext=(8, 10), textcoords="offset points", fontsize=fs,
                           bbox=dict(boxstyle="round", fc="white", ec=colour))
        _place_label(text, renderer, on_screen, taken, prefer_below=i % 2 == 1)
        anchors[len(texts)] = (float(x[k]), float(y[k]), rule)
        texts.append(text)
    return texts, anchors


# label words -> the point of the curve they name
_POINT_WORDS = [
    ("max", ("maximum", "max", "peak", "crest", "highest", "summit", "apex", "top")),
    ("min", ("minimum", "min", "trough", "lowest", "bottom")),
    ("y_intercept", ("y-intercept", "y intercept", "intercept", "origin", "initial", "start")),
    ("root", ("root", "zero", "x-intercept", "x intercept", "solution")),
    ("vertex", ("vertex", "turning point", "extremum", "stationary")),
    ("inflection", ("inflection", "inflexion")),
    ("crossing", ("equilibrium", "intersection", "crossing", "break-even", "break even", "balance")),
    ("end", ("asymptote", "limit", "plateau", "saturation", "carrying capacity", "fracture", "final")),
]


def _x_value(label: str) -> float | None:
    """The x a label names as a number ("x = 3", "2π", "t = 5 s"), or None."""
    import re

    text = label.replace("π", "pi").replace(" ", "")
    m = re.fullmatch(r"(?:[a-z]=)?(-?\d*\.?\d*)(pi)?(?:[a-z]*)", text.lower())
    if not m or not (m.group(1) not in ("", "-") or m.group(2)):
        return None
    num = float(m.group(1)) if m.group(1) not in ("", "-") else (-1.0 if m.group(1) == "-" else 1.0)
    return num * math.pi if m.group(2) else num


def named_point(label: str, x: np.ndarray, ys: np.ndarray) -> tuple[int, int, str] | None:
    """(curve, index, rule) of the point of the plot a label names: its maximum, minimum, root,
    intercept, vertex, inflection, the crossing of two curves, the far end, or an x value it
    gives ("x = 2", "2π"); None when it names no point (it is then spread along the curve)."""
    text = f" {label.lower()} "
    finite = [np.where(np.isfinite(y), y, np.nan) for y in ys]
    value = _x_value(label)
    if value is not None and x[0] <= value <= x[-1]:
        return 0, int(np.argmin(np.abs(x - value))), "x_value"
    for rule, words in _POINT_WORDS:
        if not any(f" {w}" in text or f"{w} " in text for w in words):
            continue
        y = finite[0]
        if rule == "max":
            return 0, int(np.nanargmax(y)), rule
        if rule == "min":
            return 0, int(np.nanargmin(y)), rule
        if rule == "y_intercept" and x[0] <= 0 <= x[-1]:
            return 0, int(np.argmin(np.abs(x))), rule
        if rule == "y_intercept":
            return 0, int(np.nanargmin(np.abs(x - x[0]))), rule
        if rule == "root":
            signs = np.nonzero(np.diff(np.sign(np.nan_to_num(y))) != 0)[0]
            if signs.size:
                return 0, int(signs[0]), rule
        if rule in ("vertex", "inflection"):
            d = np.diff(np.nan_to_num(y), n=1 if rule == "vertex" else 2)
            turns = np.nonzero(np.diff(np.sign(d)) != 0)[0]
            if turns.size:
                return 0, int(turns[0]) + (1 if rule == "vertex" else 2), rule
        if rule == "crossing" and len(ys) > 1:
            gap = np.abs(np.nan_to_num(finite[0] - finite[1], nan=np.inf))
            return 0, int(np.argmin(gap[len(gap) // 20:])) + len(gap) // 20, rule
        if rule == "end":
            return 0, int(np.nonzero(np.isfinite(y))[0][-1]), rule
    return None


def _chart(ax, labels, rng, fs, look):
    ax.set_axis_on()
    ax.set_position([0.12, 0.2, 0.82, 0.64])
    values = rng.integers(3, 12, len(labels))
    ax.bar(range(len(labels)), values, color=look.palette[: len(labels)])
    ax.set_xticks(range(len(labels)))
    ticks = ax.set_xticklabels(labels, fontsize=fs, rotation=15)
    return list(ticks)


def _orbit(ax, labels, rng, fs, look):
    from matplotlib.patches import Circle, Ellipse

    ax.add_patch(Circle((0.5, 0.45), 0.07, color="#f4b400"))
    texts = [ax.text(0.5, 0.45, labels[0], ha="center", va="center", fontsize=fs, weight="bold")]
    for i, label in enumerate(labels[1:]):
        a, b = 0.16 + 0.1 * i, 0.1 + 0.07 * i
        ax.add_patch(Ellipse((0.5, 0.45), 2 * a, 2 * b, fill=False, ls="--", color="#777777"))
        ang = 0.6 + 1.7 * i
        px, py = 0.5 + a * math.cos(ang), 0.45 + b * math.sin(ang)
        ax.add_patch(Circle((px, py), 0.02, color=look.palette[i % 8]))
        texts.append(ax.text(px, py + 0.045, label, ha="center", fontsize=fs))
    return texts


def _layers(ax, labels, rng, fs, look):
    """Layers of a cross-section. Its labels (the concept's own parts) choose the shape (flat
    bands, concentric shells or wavy, tilted strata), the block's width and height, each
    layer's thickness and the first colour, so two concepts with as many layers are not the
    same picture under other words."""
    from matplotlib.patches import Polygon, Rectangle

    n = len(labels)
    own = np.random.default_rng(stable_int("layers", *labels) % 2 ** 32)
    shape = ("bands", "shells", "strata")[stable_int("layer shape", *labels) % 3]
    shift = int(own.integers(0, 8))
    colours = [look.palette[(i + shift) % 8] for i in range(n)]
    thick = own.uniform(0.4, 1.8, n)
    edges = np.concatenate([[0.0], np.cumsum(thick / thick.sum())])  # layer i spans edges[i]..edges[i+1]
    right = own.uniform(0.45, 0.58)  # the block's right edge; labels sit beyond it
    top, span = own.uniform(0.8, 0.88), own.uniform(0.62, 0.76)
    # half the concepts drawn mirrored: the block on the right, its labels on the left
    ha = "left"
    if own.random() < 0.5:
        ax.set_xlim(1, 0)
        ha = "right"
    texts = []
    if shape == "shells":  # the first layer the outermost half shell, around a core at the bottom
        arc = np.linspace(0, np.pi, 48)
        rx, cx = (right - 0.05) / 2, (right + 0.05) / 2
        base = top - span
        for i, label in enumerate(labels):
            outer, inner = 1 - edges[i], 1 - edges[i + 1]
            ring = [(cx + rx * r * np.cos(a), base + span * r * np.sin(a))
                    for r, angles in ((outer, arc), (inner, arc[::-1])) for a in angles]
            ax.add_patch(Polygon(ring, closed=True, color=colours[i], alpha=0.8))
            r = (outer + inner) / 2
            at = (cx + rx * r * np.cos(np.pi / 4), base + span * r * np.sin(np.pi / 4))
            label_y = top - i * span / max(1, n - 1)  # labels spread evenly, leaders to their shells
            ax.plot([at[0], right + 0.05, right + 0.06], [at[1], label_y, label_y], color="#333333")
            texts.append(ax.text(right + 0.07, label_y, label, va="center", ha=ha, fontsize=fs))
        return texts
    x = np.linspace(0.05, right, 60)
    strata = shape == "strata"
    amp = own.uniform(0.0, 0.045) if strata else 0.0
    waves, tilt = own.uniform(0.8, 2.5), own.uniform(-0.25, 0.25) if strata else 0.0
    heights = top - span * edges  # boundary k, between layer k-1 and layer k
    # each inner boundary one line shared by the layers either side; top and bottom stay straight
    curves = [heights[k] + ((amp * np.sin(2 * np.pi * waves * (x - 0.05) / (right - 0.05) + k)
                             + tilt * span / n * (x - (0.05 + right) / 2) / (right - 0.05) * 2) if 0 < k < n else 0 * x)
              for k in range(n + 1)]
    for i, label in enumerate(labels):
        upper, lower = curves[i], curves[i + 1]
        if strata:
            # a patch, not fill_between: the looks restyle patches (fill, outline, shadow, wobble)
            outline = np.concatenate([np.column_stack([x, upper]), np.column_stack([x[::-1], lower[::-1]])])
            ax.add_patch(Polygon(outline, closed=True, color=colours[i], alpha=0.75, lw=0))
        else:
            ax.add_patch(Rectangle((0.05, heights[i + 1]), right - 0.05, heights[i] - heights[i + 1],
                                   color=colours[i], alpha=0.75))
        mid = (heights[i] + heights[i + 1]) / 2
        ax.plot([right, right + 0.06], [mid] * 2, color="#333333")
        texts.append(ax.text(right + 0.07, mid, label, va="center", ha=ha, fontsize=fs))
    return texts


def _timeline(ax, labels, rng, fs, look):
    ax.annotate("", xy=(0.96, 0.45), xytext=(0.04, 0.45), arrowprops=dict(arrowstyle="-|>", lw=2.5))
    texts = []
    for i, label in enumerate(labels):
        x = 0.1 + 0.8 * i / max(1, len(labels) - 1)
        up = i % 2 == 0
        ax.plot([x, x], [0.45, 0.55 if up else 0.35], color=look.palette[i % 8], lw=2)
        texts.append(_box(ax, x, 0.62 if up else 0.28, label, look.palette[i % 8], fs))
    return texts


def _map(ax, labels, rng, fs, look):
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


def _circuit(ax, labels, rng, fs, look):
    from matplotlib.patches import Rectangle

    ax.plot([0.15, 0.85, 0.85, 0.15, 0.15], [0.25, 0.25, 0.7, 0.7, 0.25], color="#333333", lw=2)
    spots = [(0.15, 0.47), (0.5, 0.7), (0.85, 0.47), (0.5, 0.25), (0.32, 0.7), (0.68, 0.25)]
    texts = []
    for i, label in enumerate(labels):
        x, y = spots[i % len(spots)]
        ax.add_patch(Rectangle((x - 0.05, y - 0.03), 0.1, 0.06, color=look.palette[i % 8], zorder=3))
        dy = 0.08 if y > 0.5 else -0.08
        texts.append(ax.text(x + (0.09 if x < 0.2 else -0.09 if x > 0.8 else 0), y + (0 if x in (0.15, 0.85) else dy),
                             label, ha="center", va="center", fontsize=fs))
    return texts


def _mechanism(ax, labels, rng, fs, look):
    from matplotlib.patches import Circle, RegularPolygon

    texts = []
    for i, label in enumerate(labels):
        x, y, r = 0.22 + 0.28 * (i % 3), 0.6 - 0.3 * (i // 3), 0.09 + 0.02 * (i % 2)
        ax.add_patch(RegularPolygon((x, y), 12, radius=r * 1.15, color=look.palette[i % 8], alpha=0.85))
        ax.add_patch(Circle((x, y), r * 0.35, color="white"))
        texts.append(ax.text(x, y - r - 0.06, label, ha="center", fontsize=fs))
    return texts


def _anatomy(ax, labels, rng, fs, look):
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse((0.42, 0.47), 0.6, 0.7, color="#f2c6b4", ec="#9c5b4a", lw=2))
    texts = []
    for i, label in enumerate(labels):
        ang = 2 * math.pi * i / len(labels)
        px, py = 0.42 + 0.15 * math.cos(ang), 0.47 + 0.18 * math.sin(ang)
        ax.add_patch(Ellipse((px, py), 0.1, 0.08, color=look.palette[i % 8]))
        tx = 0.76
        ty = 0.85 - 0.7 * i / max(1, len(labels) - 1)
        ax.plot([px, tx - 0.02], [py, ty], color="#555555", lw=1)
        texts.append(ax.text(tx, ty, label, va="center", fontsize=fs))
    return texts


def _field_lines(ax, labels, rng, fs, look):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((0.3, 0.42), 0.2, 0.1, color="#c44e52"))
    ax.add_patch(Rectangle((0.5, 0.42), 0.2, 0.1, color="#4c72b0"))
    for k in range(1, 5):
        t = np.linspace(0, np.pi, 60)
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 + 0.07 * k * np.sin(t), color="#777777")
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 - 0.07 * k * np.sin(t), color="#777777")
    return [ax.text(0.2 + 0.6 * i / max(1, len(labels) - 1), 0.12 if i % 2 else 0.85, label, ha="center", fontsize=fs)
            for i, label in enumerate(labels)]


def _rays(ax, labels, rng, fs, look):
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse((0.5, 0.47), 0.05, 0.5, color="#9ecae1", alpha=0.8))
    ax.plot([0.05, 0.95], [0.47, 0.47], color="#333333", lw=1)
    for y in (0.6, 0.47, 0.34):
        ax.plot([0.1, 0.5, 0.8], [y, y, 0.47 - (y - 0.47) * 0.6], color="#dd8452", lw=1.5)
    return [ax.text(0.15 + 0.7 * i / max(1, len(labels) - 1), 0.82 if i % 2 == 0 else 0.12, label, ha="center",
                    fontsize=fs) for i, label in enumerate(labels)]


DRAWERS = {"cycle": _cycle, "life_cycle": _life_cycle, "diagram": _labelled, "illustration": _illustration,
           "construction": _construction, "exploded_view": _exploded, "food_web": _food_web, "chart": _chart, "orbit": _orbit,
           "cross_section": _layers, "timeline": _timeline, "map": _map, "circuit": _circuit,
           "mechanism": _mechanism, "anatomy": _anatomy, "field_lines": _field_lines, "ray_diagram": _rays}


_FACES = {"sans": "DejaVu Sans", "serif": "DejaVu Serif", "mono": "DejaVu Sans Mono"}


def figure_kind(scene: Scene) -> str:
    """The drawer a science scene gets: its concept kind's own figure (``flow`` when the kind
    has none: a process of steps)."""
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
            texts, anchors = _plot(ax, labels, rng, fs, look, scene.concept or "")
        else:
            texts = DRAWERS.get(kind, _flow)(ax, labels, rng, fs, look)
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
