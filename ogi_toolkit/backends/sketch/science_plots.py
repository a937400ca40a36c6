"""Scientific figures drawn as plots: a curve with its named points (a maximum, a root, a
crossing: :func:`named_point` finds the pixel each label names) and bar charts."""
from __future__ import annotations

import math

import numpy as np

from .curves import axis_titles, curve_of, sample_curve

__all__ = ["chart", "named_point", "plot"]


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


def plot(ax, labels, rng, fs, look, concept=""):
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


def chart(ax, labels, rng, fs, look):
    ax.set_axis_on()
    ax.set_position([0.12, 0.2, 0.82, 0.64])
    values = rng.integers(3, 12, len(labels))
    ax.bar(range(len(labels)), values, color=look.palette[: len(labels)])
    ax.set_xticks(range(len(labels)))
    ticks = ax.set_xticklabels(labels, fontsize=fs, rotation=15)
    return list(ticks)
