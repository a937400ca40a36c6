"""Scientific figures drawn as diagrams (matplotlib, into the axes :mod:`.science` sets up):
one function per kind of concept (cycle, life cycle, labelled parts, construction, exploded
view, food web, orbit, cross-section layers, timeline, map, circuit, mechanism, anatomy, field
lines, ray diagram; a flow of steps for anything else). Each draws every label it is given
and returns the text artists, whose boxes :mod:`.science` records."""
from __future__ import annotations

import math

import numpy as np

from .vocab import stable_int

__all__ = ["anatomy", "circuit", "construction", "cycle", "exploded", "field_lines", "flow", "food_web", "illustration",
           "labelled", "layers", "life_cycle", "map_", "mechanism", "orbit", "rays", "timeline"]


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


def flow(ax, labels, rng, fs, look):
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


def cycle(ax, labels, rng, fs, look):
    n = len(labels)
    pts = [(0.5 + 0.32 * math.cos(math.pi / 2 - 2 * math.pi * i / n), 0.47 + 0.32 * math.sin(math.pi / 2 - 2 * math.pi * i / n))
           for i in range(n)]
    texts = [_box(ax, x, y, label, look.palette[i % 8], fs) for i, ((x, y), label) in enumerate(zip(pts, labels))]
    for i in range(n if n > 2 else n - 1):
        _link(ax, texts[i], texts[(i + 1) % n], "#555555", rad=-0.3)
    return texts


def life_cycle(ax, labels, rng, fs, look):
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


def labelled(ax, labels, rng, fs, look):
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


def illustration(ax, labels, rng, fs, look):
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


def construction(ax, labels, rng, fs, look):
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


def exploded(ax, labels, rng, fs, look):
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


def food_web(ax, labels, rng, fs, look):
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


def orbit(ax, labels, rng, fs, look):
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


def layers(ax, labels, rng, fs, look):
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


def timeline(ax, labels, rng, fs, look):
    ax.annotate("", xy=(0.96, 0.45), xytext=(0.04, 0.45), arrowprops=dict(arrowstyle="-|>", lw=2.5))
    texts = []
    for i, label in enumerate(labels):
        x = 0.1 + 0.8 * i / max(1, len(labels) - 1)
        up = i % 2 == 0
        ax.plot([x, x], [0.45, 0.55 if up else 0.35], color=look.palette[i % 8], lw=2)
        texts.append(_box(ax, x, 0.62 if up else 0.28, label, look.palette[i % 8], fs))
    return texts


def map_(ax, labels, rng, fs, look):
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


def circuit(ax, labels, rng, fs, look):
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


def mechanism(ax, labels, rng, fs, look):
    from matplotlib.patches import Circle, RegularPolygon

    texts = []
    for i, label in enumerate(labels):
        x, y, r = 0.22 + 0.28 * (i % 3), 0.6 - 0.3 * (i // 3), 0.09 + 0.02 * (i % 2)
        ax.add_patch(RegularPolygon((x, y), 12, radius=r * 1.15, color=look.palette[i % 8], alpha=0.85))
        ax.add_patch(Circle((x, y), r * 0.35, color="white"))
        texts.append(ax.text(x, y - r - 0.06, label, ha="center", fontsize=fs))
    return texts


def anatomy(ax, labels, rng, fs, look):
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


def field_lines(ax, labels, rng, fs, look):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((0.3, 0.42), 0.2, 0.1, color="#c44e52"))
    ax.add_patch(Rectangle((0.5, 0.42), 0.2, 0.1, color="#4c72b0"))
    for k in range(1, 5):
        t = np.linspace(0, np.pi, 60)
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 + 0.07 * k * np.sin(t), color="#777777")
        ax.plot(0.5 + 0.22 * np.cos(t) * (1 + 0.2 * k), 0.47 - 0.07 * k * np.sin(t), color="#777777")
    return [ax.text(0.2 + 0.6 * i / max(1, len(labels) - 1), 0.12 if i % 2 else 0.85, label, ha="center", fontsize=fs)
            for i, label in enumerate(labels)]


def rays(ax, labels, rng, fs, look):
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse((0.5, 0.47), 0.05, 0.5, color="#9ecae1", alpha=0.8))
    ax.plot([0.05, 0.95], [0.47, 0.47], color="#333333", lw=1)
    for y in (0.6, 0.47, 0.34):
        ax.plot([0.1, 0.5, 0.8], [y, y, 0.47 - (y - 0.47) * 0.6], color="#dd8452", lw=1.5)
    return [ax.text(0.15 + 0.7 * i / max(1, len(labels) - 1), 0.82 if i % 2 == 0 else 0.12, label, ha="center",
                    fontsize=fs) for i, label in enumerate(labels)]
