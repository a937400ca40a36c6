"""The figures draw exactly the paper's numbers: read back from the matplotlib artists."""
from __future__ import annotations

import colorsys
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge
from PIL import Image

from ogi_toolkit.cli import main
from ogi_toolkit.figures import (
    BENCHMARKS,
    PAPER_FIGURES,
    benchmark_heatmap,
    data_scaling,
    dataset_comparison,
    domain_shares,
    finetune_gains,
    load_table,
    subtask_counts,
    subtask_distribution,
    taxonomy_sunburst,
    taxonomy_sunburst_plotly,
    training_data_comparison,
    unified_vs_separate,
)
from ogi_toolkit.figures.tables import DATA_DIR, TABLES
from ogi_toolkit.paths import SHARED_DIR

REFERENCE_TABLES = SHARED_DIR / "reference" / "tables"
PAPER = pd.read_csv(DATA_DIR / "tables9_10_taxonomy_counts.csv")


def new_ax(size=(8, 8)):
    return Figure(figsize=size).add_subplot()


def wedges(ax, level):
    return {w.get_gid().split(":", 1)[1]: w for w in ax.patches
            if isinstance(w, Wedge) and w.get_gid().startswith(f"{level}:")}


def extent(wedge):
    return (wedge.theta2 - wedge.theta1) / 360


def bars(container_owner):
    axes = container_owner.axes if isinstance(container_owner, Figure) else [container_owner]
    return {p.get_gid(): p for ax in axes for p in ax.patches if isinstance(p, Rectangle) and p.get_gid()}


# -- the shipped data ------------------------------------------------------------------------

@pytest.mark.skipif(not REFERENCE_TABLES.is_dir(), reason=f"reference tables not at {REFERENCE_TABLES}")
@pytest.mark.parametrize("name", TABLES)
def test_shipped_tables_equal_the_reference_copies(name):
    shipped = (DATA_DIR / f"{name}.csv").read_bytes()
    assert shipped == (REFERENCE_TABLES / f"{name}.csv").read_bytes()


def test_data_readme_names_every_table_and_the_paper():
    readme = (DATA_DIR / "README.md").read_text()
    assert "arXiv 2509.24900" in readme
    for name in TABLES:
        assert f"`{name}.csv`" in readme


def test_unknown_table_and_missing_columns_fail_clearly():
    with pytest.raises(KeyError, match="unknown paper table 'table99'"):
        load_table("table99")
    with pytest.raises(KeyError, match=r"missing \['subtask'\]"):
        subtask_counts(pd.DataFrame({"kind": ["editing"], "domain": ["Text Editing"]}))


# -- the taxonomy sunburst -------------------------------------------------------------------

def test_paper_sunburst_wedges_are_the_table_counts():
    ax = taxonomy_sunburst(ax=new_ax())
    total = PAPER["samples"].sum()
    subtasks = wedges(ax, "subtask")
    assert len(subtasks) == 51
    for _, row in PAPER.iterrows():
        wedge = subtasks[f"{row['kind']}/{row['domain']}/{row['subtask']}"]
        assert extent(wedge) == pytest.approx(row["samples"] / total)
    domains = wedges(ax, "domain")
    assert len(domains) == 11
    for (kind, domain), samples in PAPER.groupby(["kind", "domain"])["samples"].sum().items():
        assert extent(domains[f"{kind}/{domain}"]) == pytest.approx(samples / total)
    kinds = wedges(ax, "kind")
    assert extent(kinds["generation"]) == pytest.approx(40200 / 80700)
    assert extent(kinds["editing"]) == pytest.approx(40500 / 80700)
    # each ring closes the circle: no gaps, no overlaps
    for ring in (subtasks, domains, kinds):
        assert sum(extent(w) for w in ring.values()) == pytest.approx(1.0)


def test_sunburst_labels_carry_domain_counts():
    ax = taxonomy_sunburst(ax=new_ax())
    labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert labels["domain-label:generation/Style Control"].endswith("13k")
    assert labels["domain-label:generation/Scientific Imagery"].endswith("10.2k")
    assert labels["domain-label:editing/Multi-turn Editing"].endswith("1.5k")
    assert labels["subtask-label:editing/Subject Manipulation/Remove"] == "Remove (7.2k)"


def _hue(colour):
    return colorsys.rgb_to_hsv(*to_rgb(colour))[0] * 360


def test_generation_is_warm_and_editing_cool():
    ax = taxonomy_sunburst(ax=new_ax())
    for name, wedge in {**wedges(ax, "domain"), **wedges(ax, "subtask")}.items():
        hue = _hue(wedge.get_facecolor())
        if name.startswith("generation/"):
            assert hue <= 50 or hue >= 340, (name, hue)  # reds, oranges, golds
        else:
            assert 90 <= hue <= 290, (name, hue)  # greens, teals, blues, violets


def test_sunburst_of_a_user_frame_counts_rows_and_keeps_unlabelled_items():
    data = pd.DataFrame({
        "kind": ["generation"] * 3 + ["editing", None],
        "domain": ["Style Control", "Style Control", "Spatial Reasoning", "Text Editing", None],
        "subtask": ["Photographic Styles", "Photographic Styles", "Containment", "Text Add", None],
    })
    ax = taxonomy_sunburst(data, ax=new_ax())
    subtasks = wedges(ax, "subtask")
    assert extent(subtasks["generation/Style Control/Photographic Styles"]) == pytest.approx(2 / 5)
    assert extent(subtasks["unknown/unlabelled/unlabelled"]) == pytest.approx(1 / 5)
    assert len(subtasks) == 4


def test_plotly_sunburst_has_the_same_hierarchy():
    pytest.importorskip("plotly")
    trace = taxonomy_sunburst_plotly().data[0]
    values = dict(zip(trace.ids, trace.values))
    assert len(trace.ids) == 2 + 11 + 51
    assert values["generation/Scientific Imagery/Culture and History"] == 2200
    assert values["editing/Global Editing"] == 5000
    assert values["generation"] + values["editing"] == 80700


# -- benchmarks --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BENCHMARKS))
def test_finetune_bars_are_the_overall_scores(name):
    bench = BENCHMARKS[name]
    table = load_table(bench.table)
    ax = finetune_gains(name, ax=new_ax((5, 4)))
    drawn = bars(ax)
    assert len(drawn) == len(table)
    for _, row in table.iterrows():
        assert drawn[f"{row['setting']}:{row['model']}"].get_height() == pytest.approx(row[bench.overall] * bench.scale)
    # the paper's headline gains
    gains = [t.get_text() for t in ax.texts if t.get_text().endswith("%")]
    assert len(gains) == table["model"].nunique()
    if name == "GenEval":
        assert "+13.2%" in gains  # Harmon .76 -> .86
    if name == "ImgEdit-Bench":
        assert "+18.4%" in gains  # UniWorld-V1 3.26 -> 3.86


@pytest.mark.parametrize("name", list(BENCHMARKS))
def test_heatmaps_show_every_cell_of_the_table(name):
    table = load_table(BENCHMARKS[name].table)
    columns = [c for c in table.columns if c not in ("model", "setting")]
    ax = benchmark_heatmap(name, ax=new_ax((9, 6)))
    drawn = np.asarray(ax.collections[0].get_array()).reshape(len(table), len(columns))
    expected = table.set_index(["model", "setting"])[columns]
    np.testing.assert_allclose(drawn, expected.to_numpy())  # file order: baseline, finetuned per model
    ax = benchmark_heatmap(name, ax=new_ax((9, 6)), gain=True)
    gains = np.asarray(ax.collections[0].get_array()).reshape(-1, len(columns))
    tuned = expected.xs("finetuned", level="setting")
    base = expected.xs("baseline", level="setting")
    np.testing.assert_allclose(gains, (tuned - base).to_numpy())


@pytest.mark.parametrize("name,table,overall", [
    ("GEdit-Bench", "table6_data_scaling", "avg"),
    ("ImgEdit-Bench", "table6_data_scaling_imgedit", "overall"),
])
def test_data_scaling_bars_are_table_6(name, table, overall):
    data = load_table(table)
    drawn = bars(data_scaling(name, ax=new_ax((12, 4))))
    for _, row in data.iterrows():
        size = f"{int(row['size']) // 1000}K"
        assert drawn[f"{size}:{overall}"].get_height() == pytest.approx(row[overall])
        assert drawn[f"{size}:background"].get_height() == pytest.approx(row["background"])
    assert not any(gid.endswith(":two_avg") for gid in drawn)  # mixes both benchmarks: left out


def test_unified_vs_separate_bars_are_table_8():
    drawn = bars(unified_vs_separate())
    data = load_table("table8_unified_vs_separate")
    assert len(drawn) == len(data)
    for _, row in data.iterrows():
        scale = BENCHMARKS[row["benchmark"]].scale
        assert drawn[f"{row['setting']}:{row['benchmark']}"].get_height() == pytest.approx(row["overall"] * scale)


def test_training_data_bars_are_table_7():
    drawn = bars(training_data_comparison())
    assert drawn["ShareGPT-4o-Image:GEdit-Bench"].get_height() == pytest.approx(5.26)
    assert drawn["OpenGPT-4o-Image:ImgEdit-Bench"].get_height() == pytest.approx(3.86)
    assert drawn["OpenGPT-4o-Image:GenEval"].get_height() == pytest.approx(83)
    assert drawn["ShareGPT-4o-Image:DPG-Bench"].get_height() == pytest.approx(82.71)


def test_dataset_comparison_places_every_dataset_of_table_1():
    data = load_table("table1_dataset_comparison")
    ax = dataset_comparison(ax=new_ax((10, 6)))
    points = np.concatenate([c.get_offsets() for c in ax.collections])
    assert len(points) == len(data)
    typed = data[data["num_types"].notna()]
    drawn = {(x, y) for x, y in points}
    for _, row in typed.iterrows():
        assert (row["size"], row["num_types"]) in drawn
    labels = {t.get_text(): t.xy for t in ax.texts}
    assert set(labels) == set(data["dataset"])
    assert labels["OpenGPT-4o-Image"] == (80000, 51)
    # datasets without a task-type count sit below zero, in the "not reported" band
    assert all(labels[d][1] < 0 for d in data.loc[data["num_types"].isna(), "dataset"])
    assert ax.get_xscale() == "log"


# -- a user's data against the paper ----------------------------------------------------------

def _plan_frame():
    # two items of one paper subtask, one of another, one outside the paper's taxonomy
    return pd.DataFrame({
        "kind": ["generation", "generation", "editing", "editing"],
        "domain": ["Style Control", "Style Control", "Subject Manipulation", "My Domain"],
        "subtask": ["Photographic Styles", "Photographic Styles", "Remove", "My Subtask"],
    })


def test_domain_shares_are_the_shares_of_both():
    ax = domain_shares(_plan_frame(), ax=new_ax((8, 6)))
    drawn = bars(ax)
    assert drawn["yours:Style Control"].get_width() == pytest.approx(50)
    assert drawn["yours:My Domain"].get_width() == pytest.approx(25)
    assert drawn["paper:My Domain"].get_width() == 0
    assert drawn["paper:Subject Manipulation"].get_width() == pytest.approx(19000 / 80700 * 100)
    assert drawn["yours:Text Editing"].get_width() == 0  # in the paper, absent from the plan
    assert sum(b.get_width() for g, b in drawn.items() if g.startswith("paper:")) == pytest.approx(100)


def test_subtask_distribution_counts_and_expected_marks():
    ax = subtask_distribution(_plan_frame(), ax=new_ax((8, 12)))
    drawn = bars(ax)
    assert drawn["count:Photographic Styles"].get_width() == 2
    assert drawn["count:My Subtask"].get_width() == 1
    assert drawn["count:Add"].get_width() == 0
    marks = next(c for c in ax.collections if c.get_gid() == "expected")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = dict(zip(labels, marks.get_offsets()[:, 0]))
    assert expected["Remove"] == pytest.approx(7200 / 80700 * 4)
    assert expected["My Subtask"] == 0


# -- the command ------------------------------------------------------------------------------

def _write_plan(path: Path) -> Path:
    specs = [
        {"id": f"p{i}", "kind": kind, "domain": domain, "subtask": subtask, "template_id": "t",
         "difficulty": 1, "seed": i, "instruction": f"instruction {i}"}
        for i, (kind, domain, subtask) in enumerate(_plan_frame().itertuples(index=False))
    ]
    path.write_text("".join(json.dumps(s) + "\n" for s in specs))
    return path


def test_ogi_figures_writes_every_figure(tmp_path, capsys):
    plan = _write_plan(tmp_path / "plan.jsonl")
    out = tmp_path / "figs"
    assert main(["figures", "--out", str(out), "--data", str(plan), "--dpi", "40"]) == 0
    expected = {f"{stem}.png" for stem in PAPER_FIGURES}
    expected |= {"plan_sunburst.png", "plan_domain_shares.png", "plan_subtask_distribution.png"}
    try:
        import plotly  # noqa: F401
        expected |= {"taxonomy_sunburst.html", "plan_sunburst.html"}
    except ImportError:
        pass
    assert {p.name for p in out.iterdir()} == expected  # and no temp files left behind
    for name in expected:
        if name.endswith(".png"):
            with Image.open(out / name) as image:
                assert image.width > 100 and image.height > 100
    if "taxonomy_sunburst.html" in expected:
        html = (out / "taxonomy_sunburst.html").read_text()
        assert 'id="taxonomy-sunburst"' in html and "Scientific Imagery" in html
    assert f"{len(expected)} figure file(s)" in capsys.readouterr().out


def test_figures_are_reproducible(tmp_path):
    from ogi_toolkit.figures import save_figure

    first = save_figure(PAPER_FIGURES["dataset_comparison"](), tmp_path / "a.png", dpi=50).read_bytes()
    second = save_figure(PAPER_FIGURES["dataset_comparison"](), tmp_path / "b.png", dpi=50).read_bytes()
    assert first == second


def test_taxonomy_ids_in_plans_are_drawn_under_the_paper_names():
    # plans carry ids (style_control / photographic_styles); the paper table carries names
    data = pd.DataFrame({"kind": ["generation", "generation"], "domain": ["style_control", "style_control"],
                         "subtask": ["photographic_styles", "artistic_traditions"]})
    ax = taxonomy_sunburst(data, ax=new_ax())
    assert set(wedges(ax, "subtask")) == {"generation/Style Control/Photographic Styles",
                                          "generation/Style Control/Artistic Traditions"}
    shares = bars(domain_shares(data, ax=new_ax()))  # lined up with the paper's domains
    assert shares["yours:Style Control"].get_width() == pytest.approx(100)
    assert "yours:style_control" not in shares
