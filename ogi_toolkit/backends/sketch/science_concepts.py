"""Per-concept science layouts: a concept whose pool entry names its parts gets a drawing where
each part is where it belongs (the angle sum's three angles at the triangle's corners, the Sun's
path rising in the east), not the generic labelled figure every other diagram shares.

Each drawer draws the concept's shapes in the unit square and puts every label it is given at
its part's spot; a label it has no spot for (a pool entry edited since) goes in a column at the
right, so no label is ever dropped. Returns the text artists, as the other drawers do.
"""
from __future__ import annotations

import math

__all__ = ["CONCEPT_DRAWERS"]

_INK = "#333333"


def _place(ax, labels, spots: dict[str, tuple[float, float]], fs) -> list:
    texts, spare = [], 0
    for label in labels:
        if label in spots:
            x, y = spots[label]
        else:
            x, y = 0.9, 0.8 - 0.12 * spare
            spare += 1
        texts.append(ax.text(x, y, label, ha="center", va="center", fontsize=fs,
                             bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#777777", lw=1)))
    return texts


def _corner_arc(ax, at, towards_a, towards_b, r, colour):
    from matplotlib.patches import Arc

    a1 = math.degrees(math.atan2(towards_a[1] - at[1], towards_a[0] - at[0]))
    a2 = math.degrees(math.atan2(towards_b[1] - at[1], towards_b[0] - at[0]))
    lo, hi = sorted((a1, a2))
    if hi - lo > 180:
        lo, hi = hi, lo + 360
    ax.add_patch(Arc(at, 2 * r, 2 * r, theta1=lo, theta2=hi, color=colour, lw=2))


def triangle_angle_sum(ax, labels, rng, fs, look):
    from matplotlib.patches import Polygon

    a, b, c = (0.12, 0.22), (0.72, 0.22), (0.42, 0.78)
    ax.add_patch(Polygon([a, b, c], closed=True, fill=False, ec=_INK, lw=2))
    for at, p, q, colour in ((a, b, c, "#c44e52"), (b, c, a, "#4c72b0"), (c, a, b, "#55a868")):
        _corner_arc(ax, at, p, q, 0.07, colour)
    return _place(ax, labels, {"angle A": (0.2, 0.3), "angle B": (0.62, 0.3), "angle C": (0.42, 0.64),
                               "A + B + C = 180°": (0.42, 0.08)}, fs)


def pythagorean_theorem(ax, labels, rng, fs, look):
    from matplotlib.patches import Polygon

    p, q, r = (0.32, 0.36), (0.56, 0.36), (0.32, 0.62)  # right angle at p
    for square in ([p, q, (0.56, 0.12), (0.32, 0.12)], [p, r, (0.06, 0.62), (0.06, 0.36)],
                   [q, r, (0.58, 0.86), (0.82, 0.60)]):
        ax.add_patch(Polygon(square, closed=True, fc="#dde8f4", ec=_INK, lw=1.2))
    ax.add_patch(Polygon([p, q, r], closed=True, fc="#f6e3c5", ec=_INK, lw=2))
    return _place(ax, labels, {"side b": (0.44, 0.24), "side a": (0.19, 0.49), "hypotenuse c": (0.69, 0.73),
                               "a² + b² = c²": (0.72, 0.2)}, fs)


def trig_ratios(ax, labels, rng, fs, look):
    from matplotlib.patches import Polygon, Rectangle

    a, b, c = (0.15, 0.2), (0.75, 0.2), (0.75, 0.7)  # angle θ at a, right angle at b
    ax.add_patch(Polygon([a, b, c], closed=True, fill=False, ec=_INK, lw=2))
    ax.add_patch(Rectangle((0.71, 0.2), 0.04, 0.04, fill=False, ec=_INK, lw=1))
    _corner_arc(ax, a, b, c, 0.1, "#c44e52")
    return _place(ax, labels, {"adjacent": (0.45, 0.12), "opposite": (0.87, 0.45), "hypotenuse": (0.38, 0.55),
                               "angle θ": (0.3, 0.27), "SOH CAH TOA": (0.45, 0.88)}, fs)


def sun_path(ax, labels, rng, fs, look):
    from matplotlib.patches import Arc, Circle

    ax.plot([0.03, 0.97], [0.25, 0.25], color="#5a7d3a", lw=3)  # the horizon
    ax.add_patch(Arc((0.5, 0.25), 0.8, 0.95, theta1=0, theta2=180, color="#e8a33d", lw=2))  # summer
    ax.add_patch(Arc((0.5, 0.25), 0.6, 0.5, theta1=0, theta2=180, color="#e8a33d", lw=1.5, ls="--"))  # winter
    ax.add_patch(Circle((0.5, 0.72), 0.04, color="#f2c14e"))
    return _place(ax, labels, {"east": (0.1, 0.16), "west": (0.9, 0.16), "sunrise": (0.16, 0.34),
                               "sunset": (0.84, 0.34), "noon": (0.5, 0.84)}, fs)


def flemings_left_hand_rule(ax, labels, rng, fs, look):
    from matplotlib.patches import Ellipse

    origin = (0.42, 0.42)
    ax.add_patch(Ellipse((0.36, 0.36), 0.22, 0.16, angle=-30, fc="#f3d2b3", ec=_INK, lw=1.5))  # the palm
    for tip, colour in (((0.42, 0.85), "#c44e52"), ((0.85, 0.42), "#4c72b0"), ((0.16, 0.12), "#55a868")):
        ax.annotate("", xy=tip, xytext=origin, arrowprops=dict(arrowstyle="-|>", color=colour, lw=3))
    return _place(ax, labels, {"thumb: force": (0.42, 0.92), "first finger: field": (0.8, 0.5),
                               "second finger: current": (0.2, 0.05)}, fs)


CONCEPT_DRAWERS = {"triangle_angle_sum": triangle_angle_sum, "pythagorean_theorem": pythagorean_theorem,
                   "trig_ratios": trig_ratios, "sun_path": sun_path, "flemings_left_hand_rule": flemings_left_hand_rule}
