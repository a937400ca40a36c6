"""Sketch renderer 2, point 5: each concept kind its own figure, the presentation format changes
the look, plot annotations at the points they name."""
from __future__ import annotations

import numpy as np
import pytest

from ogi_toolkit.backends.sketch.science import DRAWERS, figure_info, render_science
from ogi_toolkit.backends.sketch.science_looks import LOOKS
from ogi_toolkit.backends.sketch.vocab import pools
from ogi_toolkit.spec import Scene

P = pools()
CONCEPTS = [c for n in P.names() if P.group(n) == "science" for c in P[n]]
KINDS = sorted({c.kind for c in CONCEPTS})
W, H = 360, 300


def _figure(kind: str, description: str | None = None, labels=("first part", "second part", "third part")):
    scene = Scene(concept="x", concept_kind=kind, labels=list(labels), description=description)
    return render_science(scene, W, H, seed=0)


def test_every_concept_kind_of_the_pools_has_its_own_figure():
    assert set(KINDS) - {"plot"} <= set(DRAWERS)
    drawn = {}
    for kind in KINDS:
        pixels, _ = _figure(kind)
        assert figure_info(Scene(concept="x", concept_kind=kind))["kind"] == kind
        for other, seen in drawn.items():
            assert (np.abs(pixels.astype(int) - seen).max(axis=2) > 30).mean() > 0.02, f"{kind} looks like {other}"
        drawn[kind] = pixels.astype(int)


def test_every_presentation_format_has_a_look_that_shows():
    formats = {item.id: item.name for item in P["presentations"]}
    assert set(formats) == set(LOOKS)
    plain, _ = _figure("cross_section")
    seen = {}
    for fid, name in formats.items():
        description = f"{name} of the layers of the earth: a slice"
        assert figure_info(Scene(concept="x", concept_kind="cross_section", description=description))["look"] == fid
        pixels, records = _figure("cross_section", description)
        assert {r["text"] for r in records} >= {"first part", "second part", "third part"}  # every label still drawn
        if fid != "textbook_diagram":
            assert (np.abs(pixels.astype(int) - plain).max(axis=2) > 30).mean() > 0.05, f"{fid} looks like the default"
        key = pixels.tobytes()
        assert key not in seen, f"{fid} looks like {seen.get(key)}"
        seen[key] = fid


@pytest.mark.parametrize("concept, label, where", [("sine_wave", "crest", "top"), ("sine_wave", "trough", "bottom"),
                                                    ("sine_wave", "2π", "x_value"), ("quadratic_roots", "vertex", "turn"), ("quadratic_roots", "roots", "root")])
def test_plot_annotations_sit_at_the_point_they_name(concept, label, where):
    pixels, records = render_science(Scene(concept=concept, concept_kind="plot", labels=[label]), W, H, seed=0)
    rec = next(r for r in records if r["text"] == label)
    x, y = rec["at"]
    others = [r for r in records if r is not rec and "at" not in r]
    assert rec["anchor"] != "spread"
    curve = np.nonzero(np.abs(pixels.astype(int) - [0x4C, 0x72, 0xB0]).max(axis=2) < 30)
    rows, cols = curve
    if where == "top":
        assert abs(y - rows.min()) < 8
    elif where == "bottom":
        assert abs(y - rows.max()) < 8
    elif where == "x_value":  # 2π along an x axis from 0 to its end
        assert rec["anchor"] == "x_value"
    elif where == "root":  # on the x axis, where the curve crosses it
        assert rec["anchor"] == "root"
    else:
        assert rec["anchor"] == "vertex"
    assert others  # the title is there too
