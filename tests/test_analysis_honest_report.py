"""#27 items 2, 3 and 5: no report table cut without saying so, `ogi analyse` shows its stages,
legends count each label once, figures are named by the projection that drew them, and the
interactive page can be coloured by the judge's result."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from ogi_toolkit.analysis import analyse, plot_umap
from ogi_toolkit.colours import DOMAIN_COLOURS
from ogi_toolkit.analysis.markdown import report_markdown
from ogi_toolkit.analysis.report import STAGES
from ogi_toolkit.cli import main
from ogi_toolkit.folder import ManifestWriter
from tests.analysis_fixtures import analysis_cache  # noqa: F401

DOMAINS = ["style_control", "complex_instruction_following", "in_image_text_rendering", "spatial_reasoning",
           "scientific_imagery", "subject_manipulation", "complex_instruction_editing", "multi_turn_editing",
           "global_editing", "other_challenging_editing", "text_editing"]


def test_quality_tables_keep_every_row_and_long_tables_say_they_are_cut(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    # 11 domains in name order: the only failing one sorts last (it was dropped at row 10)
    rates = pd.DataFrame({"domain": sorted(DOMAINS), "items": 10, "checked": 10,
                          "check_pass_rate": [0.0 if d == "text_editing" else 1.0 for d in sorted(DOMAINS)]})
    assert rates["domain"].iloc[-1] == "text_editing"
    rates.to_csv(tables / "quality_by_domain.csv", index=False)
    pd.DataFrame({"skeleton": [f"skeleton {k}" for k in range(15)], "count": range(15, 0, -1),
                  "example": ["x" * 300] + ["short"] * 14}).to_csv(tables / "skeletons.csv", index=False)
    report = report_markdown({"source": "s"}, tmp_path)
    quality = report.split("## Check pass rates by domain")[1]
    assert "| text_editing | 10 | 10 | 0.000 |" in quality
    skeletons = report.split("## Most repeated skeletons")[1].split("##")[0]
    assert "The first 10 of 15 rows; all of them in [tables/skeletons.csv](tables/skeletons.csv)." in skeletons
    assert "skeleton 10" not in skeletons
    assert "x" * 119 + "…" in skeletons and "x" * 121 not in skeletons  # a cut cell says so too


def _dataset(root: Path, n: int = 12) -> None:
    """n generation/editing items over two domains; the judge scored some, failed one, errored one."""
    with ManifestWriter(root / "manifest.jsonl") as writer:
        for k in range(n):
            domain = "text_editing" if k % 3 == 0 else "style_control"
            text = f"prompt {k}: a {['red', 'blue', 'green', 'tall'][k % 4]} {['cat', 'house', 'tree'][k % 3]} number {k}"
            spec = {"id": f"i{k}", "kind": "editing" if k % 3 == 0 else "generation", "domain": domain,
                    "subtask": f"s{k % 3}", "template_id": "t", "difficulty": 1, "instruction": text}
            writer.append({"id": spec["id"], "status": "done", "spec": spec, "instruction": text,
                           "input_images": [], "output_image": None, "turn_images": []})
    lines = [{"id": "i0", "judge": "m", "score": 0.2, "passed": False, "criteria": {}, "questions": []},
             {"id": "i1", "judge": "m", "score": 0.9, "passed": True, "criteria": {}, "questions": []},
             {"id": "i2", "error": "the judge's reply was not JSON"}]
    (root / "judgments.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))


@pytest.fixture(scope="module")
def small_report(tmp_path_factory, analysis_cache):  # noqa: F811
    root = tmp_path_factory.mktemp("honest")
    _dataset(root / "data")
    summary = analyse(root / "data", root / "out", cache_dir=analysis_cache)
    return root / "out", summary


def _payload(page: Path) -> dict:
    return json.loads(re.search(r"id='points'>(.*?)</script>", page.read_text(), re.S).group(1))


def test_figures_below_the_umap_size_are_named_pca(small_report):
    out, summary = small_report
    assert summary["projection"] == "PCA"
    names = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert "pca_kind.png" in names and not [n for n in names if n.startswith("umap")]
    assert "![pca_kind.png](figures/pca_kind.png)" in (out / "report.md").read_text()


def test_the_page_counts_each_label_once_keeps_domain_colours_and_colours_by_judge(small_report):
    out, _ = small_report
    by = {c["name"]: c for c in _payload(out / "figures" / "umap.html")["colour_by"]}
    kind = by["kind"]
    assert sorted(kind["levels"]) == ["editing", "generation"]  # was "editing (4)", shown as "editing (4) (4)"
    assert dict(zip(kind["levels"], kind["totals"])) == {"editing": 4, "generation": 8}
    domain = by["domain"]
    assert dict(zip(domain["levels"], domain["colours"]))["text_editing"] == DOMAIN_COLOURS["text_editing"]
    judge = by["judge"]
    assert dict(zip(judge["levels"], judge["totals"])) == {"failed": 1, "passed": 1, "error": 1, "not run": 9}


def test_a_sampled_scatter_gives_each_label_its_whole_count_once():
    whole = pd.DataFrame({"x": range(100), "y": range(100), "kind": ["editing"] * 30 + ["generation"] * 70})
    ax = plot_umap(data=whole.sample(10, random_state=0), hue="kind", ax=Figure().subplots(), counts_from=whole)
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["editing (30)", "generation (70)"]


def test_ogi_analyse_names_each_stage_on_stderr(tmp_path, analysis_cache, capsys):  # noqa: F811
    (tmp_path / "p.txt").write_text("".join(f"a red cube number {k} on a table\n" for k in range(6)))
    assert main(["analyse", str(tmp_path / "p.txt"), "--out", str(tmp_path / "out"), "--no-umap",
                 "--cache-dir", str(analysis_cache)]) == 0
    err = capsys.readouterr().err
    # not a terminal here: one plain line per stage as it ends (a terminal gets a tqdm bar)
    for stage in ("embed", "near_duplicates", "bias", "clusters", "figures"):
        assert f"] {stage} " in err, stage
    assert f"analyse [{len(STAGES)}/{len(STAGES)}] done" in err and "%|" not in err
