"""What a researcher reads in the analysis report: integer counts, skew against the pools the
plan was drawn from, every label in the count charts, fixed colours that say what was folded,
image near-duplicates with thumbnails, small inputs shortcut (and said), timings as a table."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from ogi_toolkit.analysis import analyse, plot_counts, plot_umap
from ogi_toolkit.analysis.colours import label_colours
from ogi_toolkit.colours import DOMAIN_COLOURS, OTHER_COLOUR
from ogi_toolkit.analysis.io import specs_to_frame
from ogi_toolkit.analysis.plots import umap_html
from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.folder import ManifestWriter
from ogi_toolkit.planning import plan
from tests.analysis_fixtures import analysis_cache  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan_report(tmp_path_factory, analysis_cache):  # noqa: F811
    """A 120-item plan of this project's taxonomy, analysed (projection included)."""
    out = tmp_path_factory.mktemp("plan-report")
    specs = [s.model_dump(mode="json") for s in plan(total=120, seed=3)]
    summary = analyse(specs_to_frame(specs), out, cache_dir=analysis_cache)
    return out, summary


def test_counts_are_integers_in_the_summary_and_the_report(plan_report):
    out, summary = plan_report
    groups = summary["groups"]["subtask"]
    assert all(type(g["n"]) is int for g in groups.values())
    saved = json.loads((out / "summary.json").read_text())["groups"]["kind"]
    assert all(isinstance(g["n"], int) for g in saved.values())
    report = (out / "report.md").read_text()
    assert not re.search(r"\| \d+\.000 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+ \| \d+ \|", report)
    editing = summary["groups"]["kind"]["editing"]["n"]
    assert f"| editing | {editing} |" in report


def test_attribute_skew_is_measured_against_the_taxonomy_pools(plan_report):
    out, _ = plan_report
    skew = pd.read_csv(out / "tables" / "attribute_skew.csv").set_index("attribute")
    pools = load_pools()
    assert skew.loc["objects", "values"] == len(pools["objects"]) and skew.loc["objects", "against"] == "pool"
    assert skew.loc["objects", "unused"] == len(pools["objects"]) - skew.loc["objects", "used"] > 0
    assert skew.loc["colours", "values"] == len(pools["colours"])
    assert "| objects | %d |" % len(pools["objects"]) in (out / "report.md").read_text()


def test_timings_are_a_table_and_the_projection_is_said(plan_report):
    out, summary = plan_report
    report = (out / "report.md").read_text()
    assert "Timings (s): {" not in report and "| step | seconds |" in report and "| embed |" in report
    assert summary["projection"] == "PCA"  # 120 distinct prompts: UMAP is shortcut, and the report says why
    assert any("UMAP" in line and "PCA" in line for line in summary["skipped"]) and "## Skipped or shortcut" in report


def test_count_charts_show_every_label_with_integer_ticks():
    counts = pd.DataFrame({"count": range(51, 0, -1)}, index=pd.Index([f"subtask_{k}" for k in range(51)], name="subtask"))
    ax = plot_counts(counts, ax=Figure().subplots())
    assert len(ax.patches) == 51
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    many = pd.DataFrame({"count": [3] * 100}, index=[f"v{k}" for k in range(100)])
    ax = plot_counts(many, ax=Figure().subplots())
    assert len(ax.patches) == 80 and "20 smaller folded" in ax.get_xlabel()
    small = pd.DataFrame({"count": [2, 1]}, index=["a", "b"])
    ax = plot_counts(small, ax=Figure().subplots())
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_subtasks_are_shades_of_their_domain_and_other_is_named_and_grey():
    df = pd.DataFrame({"domain": ["spatial_reasoning"] * 3 + ["text_editing"] * 2,
                       "subtask": ["containment", "relative_position", "size_reasoning", "text_add", "text_remove"]})
    levels = label_colours(df, "subtask")
    spatial = [levels.colours[s] for s in ("containment", "relative_position", "size_reasoning")]
    assert len(set(spatial)) == 3 and levels.folded == []

    def hue(c):
        r, g, b = (int(c[i:i + 2], 16) for i in (1, 3, 5))
        return max(r, g, b) - min(r, g, b) and (r >= g >= b)  # the spatial domain's red-orange family
    assert all(hue(c) for c in spatial)
    assert label_colours(df, "domain").colours["spatial_reasoning"] == DOMAIN_COLOURS["spatial_reasoning"]
    # the same colours whatever else is in the data
    names = ["containment", "relative_position", "size_reasoning"]
    assert label_colours(df.head(3), "subtask").colours == {k: levels.colours[k] for k in names}

    cats = pd.DataFrame({"Category": [f"c{k:02d}" for k in range(25) for _ in range(25 - k)]})
    levels = label_colours(cats, "Category")
    other = [name for name in levels.colours if name.startswith("other")]
    assert other == ["other (7 values)"] and levels.colours[other[0]] == OTHER_COLOUR
    assert OTHER_COLOUR not in [c for name, c in levels.colours.items() if name != other[0]]
    assert levels.folded == [f"c{k:02d}" for k in range(18, 25)]  # the smallest, named
    data = cats.assign(x=np.arange(len(cats)), y=np.arange(len(cats)))
    ax = plot_umap(data=data, hue="Category", ax=Figure().subplots())
    assert "other:" in ax.get_legend().get_title().get_text()
    colours = {to_hex(c.get_facecolor()[0]) for c in ax.collections}
    assert len(colours) == len(ax.collections) == 19


def test_the_interactive_projection_is_small_titled_and_can_be_coloured_by_each_label(tmp_path):
    n = 3000
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"x": rng.normal(size=n), "y": rng.normal(size=n), "text": [f"prompt number {k}" for k in range(n)],
                         "kind": ["generation", "editing"] * (n // 2), "domain": ["style_control", "text_editing"] * (n // 2),
                         "cluster": [f"cluster {k % 7}" for k in range(n)], "check": ["passed", "failed", "not run"] * (n // 3)})
    page = umap_html(data, tmp_path / "umap.html", hue="kind", hover=("domain", "cluster", "check"), title="T", method="UMAP")
    text = page.read_text()
    assert page.stat().st_size < 250_000  # was 4.8 MB for 102 points with plotly inlined
    assert "<title>T</title>" in text and "plotly" not in text
    payload = json.loads(re.search(r"id='points'>(.*?)</script>", text, re.S).group(1))
    assert [c["name"] for c in payload["colour_by"]] == ["kind", "domain", "cluster", "check"]
    check = payload["colour_by"][3]
    assert dict(zip(check["levels"], check["colours"]))["failed"] != dict(zip(check["levels"], check["colours"]))["passed"]


def _dataset_with_duplicate_images(root: Path) -> None:
    img = np.zeros((64, 64, 3), np.uint8)
    img[:, :32] = (200, 30, 30)
    other = np.zeros((64, 64, 3), np.uint8)
    other[:32] = (30, 200, 30)
    other[40:, 40:] = (250, 250, 250)
    (root / "images").mkdir(parents=True)
    Image.fromarray(img).save(root / "images" / "a.png")
    Image.fromarray(img).save(root / "images" / "b.jpg", quality=90)  # a re-encoded copy
    Image.fromarray(other).save(root / "images" / "c.png")
    with ManifestWriter(root / "manifest.jsonl") as writer:
        for k, (name, text) in enumerate([("a.png", "a red wall beside a black door"),
                                          ("b.jpg", "a glass of water on a wooden desk"),
                                          ("c.png", "three ducks swimming in a pond")]):
            spec = {"id": f"i{k}", "kind": "generation", "domain": "d", "subtask": "s", "template_id": "t",
                    "difficulty": 1, "instruction": text}
            writer.append({"id": spec["id"], "status": "done", "spec": spec, "instruction": text,
                           "input_images": [], "output_image": f"images/{name}", "turn_images": []})


def test_image_near_duplicates_are_in_the_report_with_thumbnails(tmp_path, analysis_cache):  # noqa: F811
    _dataset_with_duplicate_images(tmp_path / "data")
    out = tmp_path / "reports" / "r"
    summary = analyse(tmp_path / "data", out, cache_dir=analysis_cache)
    assert summary["image_near_duplicate_pairs"] == 1
    report = (out / "report.md").read_text()
    assert "## Image near-duplicates" in report
    srcs = re.findall(r"<img src='([^']+)'", report)
    assert sorted(Path(s).name for s in srcs) == ["a.png", "b.jpg"]
    assert all((out / s).resolve().is_file() and not Path(s).is_absolute() for s in srcs)
    # three prompts: no projection at all, and the report says so
    assert not (out / "figures" / "umap.html").exists() and "projection: 3 distinct prompt(s)" in report


def test_a_tiny_prompt_file_loads_no_projection_or_plotting_library(tmp_path, analysis_cache):  # noqa: F811
    (tmp_path / "two.txt").write_text("a red cube on a table\na blue ball under a chair\n")
    code = ("import sys; from ogi_toolkit.analysis import analyse; "
            f"s = analyse({str(tmp_path / 'two.txt')!r}, {str(tmp_path / 'out')!r}, cache_dir={str(analysis_cache)!r}); "
            "print(sorted(m for m in ('umap', 'plotly', 'seaborn', 'numba', 'pynndescent') if m in sys.modules)); "
            "print(s['skipped'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    loaded, skipped = result.stdout.strip().splitlines()[-2:]
    assert loaded == "[]" and "2 distinct prompt(s)" in skipped
