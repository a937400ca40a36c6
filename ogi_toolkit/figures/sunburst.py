"""The taxonomy sunburst: kind (inner ring), domains (middle), subtasks (outer), sized by count.

The static version is a nested donut drawn with matplotlib wedges, clockwise from 12 o'clock,
so it can be checked by reading the wedges back (each carries a ``gid`` naming its node).
:func:`taxonomy_sunburst_plotly` builds the same hierarchy as an interactive plotly figure.
"""
from __future__ import annotations

import math
import textwrap

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Wedge

from .counts import subtask_counts
from .palette import domain_colours, kind_colour, subtask_shades

# ring radii: (inner radius, outer radius)
_RINGS = {"kind": (0.14, 0.54), "domain": (0.54, 1.0), "subtask": (1.0, 1.22)}
_LIMIT = 1.75  # the axes span [-_LIMIT, _LIMIT]: room for the subtask labels outside the rings
_LEVEL_KEYS = {"kind": ["kind"], "domain": ["kind", "domain"], "subtask": ["kind", "domain", "subtask"]}
_KIND_LABEL = {"generation": "Generation", "editing": "Editing"}


def format_count(value: float) -> str:
    """3500 -> '3.5k', 13000 -> '13k', 750 -> '750'."""
    if value >= 1000:
        return f"{value / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    return f"{value:g}"


def node_gid(level: str, *names: str) -> str:
    """The ``gid`` a wedge carries: ``"subtask:editing/Text Editing/Text Add"``."""
    return f"{level}:" + "/".join(names)


def taxonomy_sunburst(
    data: pd.DataFrame | None = None,
    *,
    weight: str | None = None,
    ax: Axes | None = None,
    label_subtasks: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw the three-ring taxonomy donut; returns the Axes.

    ``data=None`` draws the paper's 80.7k samples (Tables 9-10). Any DataFrame with ``kind``,
    ``domain``, ``subtask`` columns (a plan or a dataset, one row per item) draws that data,
    counting rows, or summing ``weight``.
    """
    counts = subtask_counts(data, weight=weight)
    total = counts["value"].sum()
    if total <= 0:
        raise ValueError("nothing to draw: the data has no rows (or all weights are 0)")
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(12, 12)).add_subplot()
    ax.set_xlim(-_LIMIT, _LIMIT)
    ax.set_ylim(-_LIMIT, _LIMIT)
    ax.set_aspect("equal")
    ax.axis("off")
    labels = _LabelFitter(ax)
    colours = domain_colours(zip(counts["kind"], counts["domain"]))
    shades = {}
    for domain, group in counts.groupby("domain", sort=False):
        shades.update(zip(group.index, subtask_shades(colours[domain], len(group))))

    kinds = counts.groupby("kind", sort=False, as_index=False)["value"].sum()
    domains = counts.groupby(["kind", "domain"], sort=False, as_index=False)["value"].sum()
    for level, frame in (("kind", kinds), ("domain", domains), ("subtask", counts)):
        start = 0.0
        for idx, row in frame.iterrows():
            share = row["value"] / total
            names = [row[k] for k in _LEVEL_KEYS[level]]
            if level == "kind":
                colour = kind_colour(row["kind"])
                label = (f"{_KIND_LABEL.get(row['kind'], row['kind'])}\n{format_count(row['value'])}", 11)
            elif level == "domain":
                colour = colours[row["domain"]]
                label = labels.domain(row["domain"], row["value"], share)
            else:
                colour = shades[idx]
                label = labels.subtask(row["subtask"], row["value"], share) if label_subtasks else None
            _wedge(ax, level, names, start, share, colour, label)
            start += share
    ax.set_title(title or f"Taxonomy: {format_count(total)} samples", fontsize=15, pad=4)
    return ax


def _wedge(ax: Axes, level: str, names: list[str], start: float, share: float, colour: str,
           label: tuple[str, float] | None) -> None:
    r_in, r_out = _RINGS[level]
    # clockwise from 12 o'clock, in matplotlib's counter-clockwise degrees
    theta1, theta2 = 90 - 360 * (start + share), 90 - 360 * start
    wedge = Wedge((0, 0), r_out, theta1, theta2, width=r_out - r_in, facecolor=colour,
                  edgecolor="white", linewidth=0.8)
    wedge.set_gid(node_gid(level, *names))
    ax.add_patch(wedge)
    if not label:
        return
    text, size = label
    mid = (theta1 + theta2) / 2
    # radial text, turned so it never reads upside down; subtask labels sit outside the ring
    flip = 90 < (mid % 360) < 270
    rotation = mid + 180 if flip else mid
    if level == "kind":
        r, rotation, ha = (r_in + r_out) / 2, 0, "center"
    elif level == "subtask":
        r, ha = r_out + 0.02, "right" if flip else "left"
    else:
        r, ha = (r_in + r_out) / 2, "center"
    x, y = r * math.cos(math.radians(mid)), r * math.sin(math.radians(mid))
    text_colour = "#1a1a1a" if level == "subtask" or _luminance(colour) > 0.45 else "white"
    ax.text(x, y, text, rotation=rotation, rotation_mode="anchor", ha=ha, va="center", fontsize=size,
            color=text_colour, fontweight="normal" if level == "subtask" else "bold", linespacing=1.05,
            gid=node_gid(f"{level}-label", *names))


class _LabelFitter:
    """Chooses label text and size so that radial labels stay inside their wedge.

    Radial text stacks its lines across the wedge's arc and runs along the ring's width, so a
    label fits when (lines x line height) <= arc length and (longest line) <= ring width,
    both in points at the figure's size.
    """

    def __init__(self, ax: Axes):
        fig_w, fig_h = ax.figure.get_size_inches()
        box = ax.get_position()
        self.points_per_unit = min(fig_w * box.width, fig_h * box.height) * 72 / (2 * _LIMIT)

    def _arc(self, radius: float, share: float) -> float:
        return radius * share * 2 * math.pi * self.points_per_unit

    def domain(self, domain: str, value: float, share: float) -> tuple[str, float]:
        r_in, r_out = _RINGS["domain"]
        arc, ring = self._arc((r_in + r_out) / 2, share), (r_out - r_in) * self.points_per_unit * 0.92
        count = format_count(value)
        for size in (8.5, 7.0):
            for width in (16, 24):
                lines = [*textwrap.wrap(domain, width), count]
                if len(lines) * size * 1.3 <= arc and max(map(len, lines)) * size * 0.62 <= ring:
                    return "\n".join(lines), size
        return f"{domain} {count}", 6.5  # one line: the smallest wedges

    def subtask(self, subtask: str, value: float, share: float) -> tuple[str, float] | None:
        # a label needs about a line's height of arc, or it would overprint its neighbours
        if self._arc(_RINGS["subtask"][1], share) < 7.0 * 1.1:
            return None
        return f"{subtask} ({format_count(value)})", 7.0


def _luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def taxonomy_sunburst_plotly(data: pd.DataFrame | None = None, *, weight: str | None = None,
                             title: str | None = None):
    """The same hierarchy as an interactive plotly sunburst (needs ``plotly``)."""
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # optional: the static figure needs only matplotlib
        raise ImportError("the interactive sunburst needs plotly: pip install plotly") from exc
    counts = subtask_counts(data, weight=weight)
    colours = domain_colours(zip(counts["kind"], counts["domain"]))
    ids, labels, parents, values, marker = [], [], [], [], []

    def node(id_, label, parent, value, colour):
        ids.append(id_), labels.append(label), parents.append(parent)
        values.append(float(value)), marker.append(colour)

    for kind, group in counts.groupby("kind", sort=False):
        node(kind, _KIND_LABEL.get(kind, kind), "", group["value"].sum(), kind_colour(kind))
        for domain, sub in group.groupby("domain", sort=False):
            node(f"{kind}/{domain}", domain, kind, sub["value"].sum(), colours[domain])
            for colour, (_, row) in zip(subtask_shades(colours[domain], len(sub)), sub.iterrows()):
                node(f"{kind}/{domain}/{row['subtask']}", row["subtask"], f"{kind}/{domain}",
                     row["value"], colour)
    total = counts["value"].sum()
    fig = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker=dict(colors=marker, line=dict(color="white", width=1)),
        hovertemplate="%{label}<br>%{value:,.0f} samples<br>%{percentRoot:.1%} of all<extra></extra>",
        insidetextorientation="radial",
    ))
    fig.update_layout(title=title or f"Taxonomy: {format_count(total)} samples",
                      margin=dict(t=50, l=10, r=10, b=10), width=900, height=900)
    return fig
