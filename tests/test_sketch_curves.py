"""Plot curves: each pool plot concept's shape, the keyword fallback, and shapes that behave as named."""
from __future__ import annotations

import numpy as np
import pytest

from ogi_toolkit.backends.sketch.curves import CURVES, DOMAINS, axis_titles, curve_of, sample_curve
from ogi_toolkit.definition.pool_items import PLOT_CURVES, ConceptItem
from ogi_toolkit.definition.pools import load_pools

POOLS = load_pools()
PLOTS = [c for n in POOLS.names() if POOLS.group(n) == "science" for c in POOLS[n] if c.kind == "plot"]


def _one(curve: str) -> tuple[np.ndarray, np.ndarray]:
    x, ys = sample_curve(curve)
    assert ys.shape == (1, x.size), curve
    return x, ys[0]


def _flat_runs(y: np.ndarray, min_length: int = 40) -> list[float]:
    """The levels of the stretches where y does not change (at least ``min_length`` samples)."""
    still = np.abs(np.diff(y)) < 1e-9 * max(1.0, np.abs(y).max())
    levels, start = [], None
    for i, s in enumerate([*still, False]):
        if s and start is None:
            start = i
        elif not s and start is not None:
            if i - start >= min_length:
                levels.append(float(y[start]))
            start = None
    return levels


# ------------------------------------------------------------------ which curve a concept draws

def test_every_shape_of_the_pool_model_has_a_drawing_and_finite_values():
    assert set(CURVES) == set(PLOT_CURVES)
    assert set(DOMAINS) <= set(CURVES)
    for curve in CURVES:
        x, ys = sample_curve(curve)
        finite = np.isfinite(ys)
        assert finite.mean() > 0.9, curve  # only the reciprocal's gap at x = 0 is not drawn
        assert np.all(np.ptp(np.where(finite, ys, np.nanmean(ys)), axis=1) > 0), f"{curve} is a flat line"


@pytest.mark.parametrize("concept", PLOTS, ids=lambda c: c.id)
def test_pool_plot_concepts_draw_their_own_curve_found_by_id_or_name(concept):
    assert curve_of(concept) == curve_of(concept.id) == curve_of(concept.name) == concept.curve
    assert axis_titles(concept.id, []) == list(concept.axes or concept.labels[:2])


def test_concepts_without_a_curve_fall_back_on_keywords_in_their_name():
    assert curve_of("the decay of my isotope") == "exp_decay"
    assert curve_of("a_projectile_launched_uphill") == "arch"
    assert curve_of("bell curve of exam marks") == "bell"
    assert curve_of("a linear trend") == "linear"
    assert curve_of("the price of tea") == "sine"  # nothing known: today's default
    assert curve_of(None) == "sine"
    own = ConceptItem(id="exam_marks", name="the distribution of exam marks", kind="plot",
                      labels=("mark", "students"), description="d")
    assert curve_of(own) == "bell"
    assert axis_titles("my_own_plot", ["time", "speed", "peak"]) == ["time", "speed"]
    assert axis_titles("my_own_plot", ["time"]) == ["time"]


def test_the_science_reported_in_the_brief_gets_the_right_shape():
    expected = {"hookes_law": "proportional", "heating_curve_water": "plateaus", "logarithm_function": "log",
                "velocity_time_graph": "trapezoid", "boyles_law": "inverse", "logistic_growth": "logistic",
                "radioactive_decay": "exp_decay", "projectile_motion": "arch", "normal_distribution": "bell"}
    assert {cid: curve_of(cid) for cid in expected} == expected
    assert axis_titles("transverse_wave", []) == ["distance", "displacement"]  # not "crest" and "trough"


# ------------------------------------------------------------------ shapes behave as named

def test_lines():
    x, y = _one("proportional")
    assert y[0] == 0 and np.allclose(y[1:] / x[1:], y[-1] / x[-1])  # through the origin, y / x constant
    x, y = _one("linear")
    slope = np.diff(y) / np.diff(x)
    assert np.allclose(slope, slope[0]) and slope[0] > 0 and np.interp(0, x, y) != 0
    x, (a, b) = sample_curve("crossing_lines")
    assert np.count_nonzero(np.diff(np.sign(a - b))) == 1  # they cross exactly once
    _, y = _one("scatter")
    assert np.allclose(np.diff(y, 2), 0) and y[-1] > y[0]


def test_growth_and_decay():
    x, y = _one("exp_growth")
    assert np.all(np.diff(y) > 0) and np.all(np.diff(y, 2) > 0)  # rising ever more steeply
    x, y = _one("exp_decay")
    assert np.all(np.diff(y) < 0)
    step = len(x) // 4
    ratio = y[step:] / y[:-step]
    assert np.allclose(ratio, ratio[0])  # the same fraction left after every equal interval
    x, y = _one("logistic")
    slope = np.diff(y)
    assert np.all(slope > 0) and 0.2 < np.argmax(slope) / slope.size < 0.6  # an S, steepest early on
    assert slope[-1] < 0.01 * slope.max()  # levelled off at its capacity
    x, y = _one("cliff")
    drop = -np.diff(y)
    assert np.all(drop > 0) and np.argmax(drop) > drop.size / 2 and y[-1] < 0.1 * y[0]
    x, y = _one("log")
    assert np.all(np.diff(y) > 0) and np.all(np.diff(y, 2) < 0) and np.interp(1, x, y) == pytest.approx(0, abs=0.01)
    assert y[0] < -3  # plunging towards the y-axis
    x, y = _one("inverse")
    assert np.allclose(x * y, x[0] * y[0])  # pV = constant
    x, y = _one("hyperbola")
    assert np.isnan(y[np.abs(x) < 0.1]).all() and np.allclose(y, -y[::-1], equal_nan=True)  # two odd branches


def test_peaks_and_waves():
    x, y = _one("bell")
    assert np.allclose(y, y[::-1]) and abs(x[np.argmax(y)]) < 0.01
    x, y = _one("parabola")
    roots = x[1:][np.diff(np.sign(y)) != 0]
    assert np.all(np.diff(y, 2) > 0) and len(roots) == 2 and roots[0] < x[np.argmin(y)] < roots[1]
    x, y = _one("arch")
    assert y[0] == pytest.approx(0) and y[-1] == pytest.approx(0) and np.all(np.diff(y, 2) < 0)
    x, y = _one("sine")
    assert y.max() == pytest.approx(1, abs=1e-3) and y.min() == pytest.approx(-1, abs=1e-3)
    x, y = _one("periodic")
    assert y.min() >= 0 and np.allclose(np.interp(x[x < 11] + 11, x, y), y[x < 11], atol=0.5)  # every 11 years
    x, (prey, predator) = sample_curve("offset_cycles")
    first = x < 5  # one cycle
    assert x[first][np.argmax(prey[first])] < x[first][np.argmax(predator[first])] and predator.max() < prey.max()
    x, y = _one("sawtooth")
    slope = np.diff(y) / np.diff(x)
    assert -slope.min() > 3 * slope.max()  # sudden falls, slow rises
    x, y = _one("rising_wiggle")
    yearly = y[: y.size // 60 * 60].reshape(60, -1).mean(axis=1)
    assert np.all(np.diff(yearly) > 0) and np.any(np.diff(y) < 0)  # rising every year, wiggling within it
    x, y = _one("burst")
    quiet, last = y[x < 2], y[x > 6]
    assert np.all(quiet == 0) and np.abs(last).max() > 3 * np.abs(y[(x > 2) & (x < 4.5)]).max()


def test_segments_plateaus_and_levels():
    x, y = _one("plateaus")
    assert np.all(np.diff(y) >= 0) and _flat_runs(y) == [0.0, 100.0]  # melting at 0, boiling at 100
    x, y = _one("trapezoid")
    assert y[0] == y[-1] == 0 and len(_flat_runs(y)) == 1 and _flat_runs(y)[0] == y.max()
    x, y = _one("ramp")
    assert _flat_runs(y) == [y[0]] and y[-1] > y[0] and np.all(np.diff(y) >= 0)
    x, y = _one("dip")
    assert y[0] == y[-1] == y.max() and _flat_runs(y)[1] == y.min()  # a flat-bottomed dip between flat stretches
    x, y = _one("two_levels")
    top = np.argmax(y)
    assert np.all(np.diff(y[: top + 1]) >= 0) and 0.05 * y.max() < y[-1] < 0.3 * y.max()  # a lower steady speed
    assert np.ptp(y[-y.size // 5:]) < 0.01 * y.max()
    x, y = _one("stress_strain")
    elastic = x < 1.5
    assert np.allclose(y[elastic], y[elastic][-1] / x[elastic][-1] * x[elastic])  # Hooke's law, then yield
    peak = np.argmax(y)
    assert 0.3 < peak / y.size < 0.8 and y[-1] < 0.85 * y[peak]  # necking after the ultimate strength
    after_yield = y[(x > 2) & (x < 3)]
    assert after_yield.min() < y[np.searchsorted(x, 2.0) - 1]  # the drop at the yield point
