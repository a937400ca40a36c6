"""Science figures of kind plot: the concept's own curve and axis titles, every label drawn in the picture."""
from __future__ import annotations

import numpy as np
import pytest

from ogi_toolkit.backends.sketch.science import render_science
from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.spec import Scene

POOLS = load_pools()
PLOTS = [c for n in POOLS.names() if POOLS.group(n) == "science" for c in POOLS[n] if c.kind == "plot"]
W, H = 480, 360
CURVE_BLUE = np.array([0x4C, 0x72, 0xB0])  # the colour of a plot's (first) curve


def _plot(concept: str, labels: list[str]) -> tuple[np.ndarray, list[dict]]:
    return render_science(Scene(concept=concept, concept_kind="plot", labels=labels), W, H, seed=0)


def _curve_pixels(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pixels drawn in the curve's colour."""
    return np.nonzero(np.abs(pixels.astype(int) - CURVE_BLUE).max(axis=2) < 30)


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_every_pool_plot_draws_each_label_once_inside_the_picture_and_apart():
    for concept in PLOTS:
        pixels, records = _plot(concept.id, list(concept.labels))
        texts = [r["text"] for r in records[1:]]  # after the title
        assert sorted(texts) == sorted({*concept.labels, *(concept.axes or ())}), concept.id
        margin = 4  # a label's frame is drawn around its text
        for r in records:
            x0, y0, x1, y1 = r["box"]
            assert margin <= x0 < x1 <= W - margin and margin <= y0 < y1 <= H - margin, f"{concept.id}: {r} leaves"
        crowded = [(a["text"], b["text"]) for i, a in enumerate(records) for b in records[i + 1:]
                   if _overlap(a["box"], b["box"])]
        assert crowded == [], concept.id


def test_axis_titles_come_from_the_concept_not_from_the_labels_drawn():
    _, records = _plot("transverse_wave", ["crest", "wavelength"])
    texts = [r["text"] for r in records]
    assert texts[1:3] == ["distance", "displacement"] and set(texts[3:]) == {"crest", "wavelength"}
    x_title, crest = records[1]["box"], records[3]["box"]
    assert x_title[1] > 0.85 * H > crest[3]  # the x title under the plot, the label on the curve
    _, records = _plot("hookes_law", ["F = kx", "limit of proportionality"])  # its first two labels are its axes
    assert [r["text"] for r in records[1:3]] == ["extension", "force"]


def test_a_concept_outside_the_pools_keeps_its_first_two_labels_as_axes():
    _, records = _plot("my_own_plot", ["time", "speed", "peak"])
    assert [r["text"] for r in records[1:]] == ["time", "speed", "peak"]


def test_hookes_law_is_drawn_as_a_straight_line_and_the_heating_curve_with_two_plateaus():
    pixels, _ = _plot("hookes_law", ["extension", "force"])
    rows, cols = _curve_pixels(pixels)
    fit = np.polyfit(cols, rows, 1)
    assert np.abs(np.polyval(fit, cols) - rows).max() < 4 and np.ptp(cols) > 0.7 * W
    pixels, _ = _plot("heating_curve_water", ["time", "temperature"])
    rows, cols = _curve_pixels(pixels)
    per_row = np.bincount(rows, minlength=H)
    flat_rows = np.nonzero(per_row > 0.1 * W)[0]  # a horizontal stretch fills many pixels of one row
    assert np.count_nonzero(np.diff(flat_rows) > 5) + 1 == 2, flat_rows  # two separate levels


@pytest.mark.parametrize("concept, labels", [("sine_wave", ["amplitude", "period"]), ("my_own_plot", ["a", "b"])])
def test_a_sine_stays_the_default_and_draws_the_same_each_time(concept, labels):
    first, _ = _plot(concept, labels)
    again, _ = _plot(concept, labels)
    rows, _ = _curve_pixels(first)
    assert np.array_equal(first, again) and np.ptp(rows) > 0.4 * H
