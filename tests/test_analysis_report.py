import json

import numpy as np
import pandas as pd
import pytest

from ogi_toolkit.analysis import analyse, get_embedder, plot_umap, project
from ogi_toolkit.analysis.topics import CLUSTERS
from ogi_toolkit.cli import main
from tests.analysis_fixtures import PARTI, analysis_cache, embedder, parti  # noqa: F401


@pytest.fixture(scope="module")
def parti_report(parti, embedder, analysis_cache, tmp_path_factory):  # noqa: F811
    """One full CLI run (UMAP included: the numba JIT is paid here once) on 300 PartiPrompts,
    sharing the session's embedder and cache."""
    out = tmp_path_factory.mktemp("report")
    rc = main(["analyse", str(PARTI), "--text-column", "Prompt", "--label-column", "Category", "--sample", "300",
               "--out", str(out), "--cache-dir", str(analysis_cache)])
    assert rc == 0
    return out


def test_cli_writes_summary_tables_figures_and_report(parti_report):
    summary = json.loads((parti_report / "summary.json").read_text())
    for key in ("n", "vendi", "distinct_2", "mean_pairwise_cosine_distance", "exact_duplicates", "near_duplicate_pairs"):
        assert summary[key] is not None, key
    assert summary["n"] == 300 and summary["near_duplicate_method"] == "exact"
    groups = summary["groups"]["Category"]
    assert sum(g["n"] for g in groups.values()) == 300
    assert sum(g["near_duplicate_pairs"] for g in groups.values()) <= summary["near_duplicate_pairs"]
    assert 1 < summary["vendi"] < 300 and 0.5 < summary["mean_pairwise_cosine_distance"] < 1
    for name in ("figures/umap_Category.png", "figures/counts_Category.png", "figures/umap.html",
                 "tables/diversity_by_Category.csv", "tables/skeletons.csv", "tables/bias_counts.csv", "report.md"):
        assert (parti_report / name).stat().st_size > 0, name
    coords = pd.read_csv(parti_report / "tables/umap_coordinates.csv")
    assert len(coords) == 300 and coords[["x", "y"]].std().min() > 0
    report = (parti_report / "report.md").read_text()
    assert "## By Category" in report and "![umap_Category.png](figures/umap_Category.png)" in report
    # named clusters: keywords and three representative prompts, in the summary, the report and the page
    clusters = summary["clusters"]
    assert len(clusters) == CLUSTERS and sum(c["size"] for c in clusters) == 300
    assert all(len(c["representatives"]) == 3 and len(c["keywords"]) >= 3 for c in clusters)
    assert "## Clusters (k-means" in report and clusters[0]["name"] in report
    assert clusters[0]["representatives"][0][:40] in report
    assert clusters[0]["name"] in (parti_report / "figures/umap.html").read_text()


def test_html_projection_shows_prompts_on_hover(parti_report):
    html = (parti_report / "figures/umap.html").read_text()
    some_prompt = pd.read_csv(parti_report / "tables/skeletons.csv")["example"].iloc[0]
    assert some_prompt.split()[0] in html and "id='colour-by'" in html


def test_warm_rerun_embeds_nothing_and_reuses_the_projection(parti_report, embedder, analysis_cache):
    assert get_embedder(cache_dir=analysis_cache / "embeddings") is embedder
    before = embedder.n_encoded
    first = json.loads((parti_report / "summary.json").read_text())
    again = analyse(PARTI, parti_report / "again", text_column="Prompt", label_columns=["Category"], sample=300,
                    cache_dir=analysis_cache)
    assert embedder.n_encoded == before
    assert again["vendi"] == pytest.approx(first["vendi"])
    assert again["timings_s"]["umap"] < 5
    coords = pd.read_csv(parti_report / "again/tables/umap_coordinates.csv")
    assert np.allclose(coords[["x", "y"]], pd.read_csv(parti_report / "tables/umap_coordinates.csv")[["x", "y"]])


def test_plan_frame_with_planted_duplicates_counts_them_per_group(tmp_path, analysis_cache):
    texts = ["a red cube left of a blue ball", "a red cube left of a blue ball", "a tiny dog inside a large box",
             "a tiny dog inside a large box", "a tiny dog inside a large box", "three cats on a sofa"]
    df = pd.DataFrame({"text": texts, "subtask": ["position", "position", "containment", "containment", "counting", "counting"],
                       "template_id": ["p1", "p1", "c1", "c1", "c1", "n1"],
                       "colours": [["red", "blue"], ["red", "blue"], [], [], [], []]})
    summary = analyse(df, tmp_path / "out", umap=False, cache_dir=analysis_cache, pools={"colours": ["red", "blue", "green"]})
    assert summary["exact_duplicates"] == 3
    assert summary["skeleton_repetition"] == pytest.approx(1 - 3 / 6) and summary["skeleton_source"] == "template_id"
    assert {k: v["exact_duplicates"] for k, v in summary["groups"]["subtask"].items()} == {
        "containment": 1, "counting": 0, "position": 1}
    usage = pd.read_csv(tmp_path / "out/tables/pool_usage.csv").set_index("value")["count"].to_dict()
    assert usage == {"red": 2, "blue": 2, "green": 0}
    assert not (tmp_path / "out/figures/umap.html").exists()


def test_project_and_plot_umap_give_duplicates_one_point(parti_report, parti, embedder, tmp_path):
    df = pd.concat([parti.head(150), parti.head(5)], ignore_index=True)
    projected = project(df, embeddings=embedder.encode(df.text), cache_dir=tmp_path)
    assert np.allclose(projected.loc[150:, ["x", "y"]].to_numpy(), projected.loc[:4, ["x", "y"]].to_numpy())
    ax = plot_umap(data=projected, hue="Category")
    assert ax.get_legend().get_title().get_text() == "Category"
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(df)


def test_cli_reports_a_missing_column_in_one_line(tmp_path, capsys):
    (tmp_path / "p.tsv").write_text("Prompt\tCategory\na cat\tAnimals\n")
    rc = main(["analyse", str(tmp_path / "p.tsv"), "--text-column", "Caption", "--out", str(tmp_path / "o")])
    assert rc == 2
    assert "no text column 'Caption'" in capsys.readouterr().err
