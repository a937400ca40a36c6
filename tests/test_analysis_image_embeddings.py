"""`ogi analyse --images`: image diversity beside the prompts', image near-duplicates by the
same kNN search, an image projection, text-image alignment per subtask; tiny CLIP by path."""
from __future__ import annotations

import json
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

from tests.test_vision_checks import make_vision_dataset
from tests.vision_fixtures import tiny_models  # noqa: F401
from ogi_toolkit.analysis.image_embeddings import alignment_by, image_diversity, image_embedding_analysis
from ogi_toolkit.cli import main
from ogi_toolkit.vision import load_model


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_vision_dataset(tmp_path_factory.mktemp("images") / "ds")


def test_analyse_images_reports_image_diversity_beside_text_diversity(dataset, tiny_models, tmp_path, capsys):
    out = tmp_path / "report"
    code = main(["analyse", str(dataset), "--out", str(out), "--images", "--clip-model", str(tiny_models["clip"]),
                 "--no-umap", "--cache-dir", str(tmp_path / "cache")])
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images_embedded"] == 14 and 1 <= summary["image_vendi"] <= 14
    assert summary["image_model"] == str(tiny_models["clip"])
    assert "image_vendi" in capsys.readouterr().out
    report = (out / "report.md").read_text()
    assert "| image_vendi |" in report and "Text-image alignment by subtask" in report
    subtask_table = report.split("## By subtask")[1].split("##")[0]
    assert "image_vendi" in subtask_table.splitlines()[2]  # a column of the per-subtask diversity table
    alignment = pd.read_csv(out / "tables" / "image_text_alignment_by_subtask.csv", index_col=0)
    assert alignment["n"].sum() == 14 and {"mean", "10%", "50%", "90%"} <= set(alignment.columns)
    assert (out / "figures" / "image_text_alignment_by_subtask.png").exists()


def test_image_projection_is_coloured_by_the_prompts_labels(dataset, tiny_models, tmp_path):
    from ogi_toolkit.analysis import load_prompts

    df = load_prompts(dataset)
    clip = load_model("clip", str(tiny_models["clip"]))
    skipped: list[str] = []
    summary = image_embedding_analysis(df, clip, groups=["subtask"], tables=tmp_path / "t", figures=tmp_path / "f",
                                       arrays_dir=tmp_path / "a", cache_dir=tmp_path / "c", skipped=skipped)
    assert summary["image_projection"] == "PCA" and (tmp_path / "f" / "image_umap_subtask.png").exists()


def test_copies_of_one_image_are_near_duplicates(dataset, tiny_models, tmp_path):
    from ogi_toolkit.analysis import load_prompts

    df = load_prompts(dataset).head(6).copy()
    first = df["image_path"].iloc[0]
    for k in (1, 2):  # two other items' outputs replaced by byte copies of the first
        copy = tmp_path / f"copy{k}.png"
        shutil.copyfile(first, copy)
        df.iloc[k, df.columns.get_loc("image_path")] = str(copy)
    clip = load_model("clip", str(tiny_models["clip"]))
    summary = image_embedding_analysis(df, clip, groups=[], tables=tmp_path / "t", figures=tmp_path / "f",
                                       arrays_dir=tmp_path / "a", cache_dir=tmp_path / "c", skipped=[], umap=False)
    pairs = pd.read_csv(tmp_path / "t" / "image_embedding_duplicates.csv")
    found = {frozenset(p) for p in zip(pairs["i"], pairs["j"])}
    assert {frozenset({0, 1}), frozenset({0, 2}), frozenset({1, 2})} <= found
    assert summary["image_embedding_near_duplicate_pairs"] == len(pairs) >= 3


def test_image_vendi_counts_distinct_images():
    frame = pd.DataFrame({"subtask": ["a", "a", "a", "b", "b"]})
    X = np.array([[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    table = image_diversity(frame, X, "subtask")
    assert table.loc["a", "image_vendi"] == pytest.approx(1.0)  # three copies of one image
    assert table.loc["b", "image_vendi"] == pytest.approx(2.0)  # two unrelated images


def test_alignment_distribution_per_group():
    frame = pd.DataFrame({"subtask": ["a", "a", "b"]})
    table = alignment_by(frame, np.array([0.1, 0.3, 0.2]), "subtask")
    assert table.loc["a", "n"] == 2 and table.loc["a", "mean"] == pytest.approx(0.2)
    assert table.loc["b", "50%"] == pytest.approx(0.2)


def test_unreadable_images_are_left_out(dataset, tiny_models, tmp_path):
    from ogi_toolkit.analysis import load_prompts

    df = load_prompts(dataset).head(4).copy()
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    df.iloc[0, df.columns.get_loc("image_path")] = str(broken)
    clip = load_model("clip", str(tiny_models["clip"]))
    summary = image_embedding_analysis(df, clip, groups=[], tables=tmp_path / "t", figures=tmp_path / "f",
                                       arrays_dir=tmp_path / "a", cache_dir=tmp_path / "c", skipped=[], umap=False)
    assert summary["images_embedded"] == 3


def test_images_without_transformers_is_one_line_saying_what_to_install(dataset, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    assert main(["analyse", str(dataset), "--out", str(tmp_path / "r"), "--images", "--no-umap"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install 'ogi-toolkit[vision]'" in err


def test_clip_model_without_images_is_refused(dataset, tmp_path, capsys):
    assert main(["analyse", str(dataset), "--out", str(tmp_path / "r"), "--clip-model", "x"]) == 2
    assert "use them with --images" in capsys.readouterr().err
