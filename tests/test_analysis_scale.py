"""Analysis past one machine (#18): approximate kNN against exact, sampled UMAP, streaming
reads, and the per-item engine (local against Ray)."""
import json

import numpy as np
import pandas as pd
import pytest

from ogi_toolkit.analysis.knn import knn_graph, recall_at_k, resolve_method
from ogi_toolkit.analysis.project import stratified_sample, umap_coordinates
from ogi_toolkit.analysis.repetition import semantic_near_duplicates


def _unit(v):
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _clustered_with_plants(n=3000, d=32, plants=40, seed=0):
    """Unit rows in loose clusters, plus ``plants`` rows each a near copy (cosine > 0.99) of an
    earlier row: the near-duplicate pairs a search must find."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(60, d))
    X = centres[rng.integers(60, size=n)] + rng.normal(scale=0.6, size=(n, d))
    originals = rng.choice(n, plants, replace=False)
    copies = X[originals] + rng.normal(scale=0.02, size=(plants, d))
    return _unit(np.vstack([X, copies])), {(int(o), n + i) for i, o in enumerate(originals)}


def test_approximate_and_exact_find_the_same_planted_duplicates():
    X, planted = _clustered_with_plants()
    texts = [f"prompt {i}" for i in range(len(X))]
    found = {}
    for method in ("exact", "approximate"):
        near = semantic_near_duplicates(texts, X, threshold=0.98, knn_method=method)
        assert near.method == method
        found[method] = set(zip(near.pairs["i"], near.pairs["j"]))
    assert planted <= found["exact"]
    assert found["approximate"] == found["exact"]


def test_approximate_graph_reports_its_recall_and_a_broken_graph_scores_low():
    X, _ = _clustered_with_plants()
    graph = knn_graph(X, 15, method="approximate")
    assert graph.method == "approximate" and graph.recall_at_10 >= 0.95
    exact = knn_graph(X, 15, method="exact")
    assert exact.recall_at_10 is None and recall_at_k(X, exact.indices, 10, sample=300) == 1.0
    shuffled = exact.indices.copy()
    shuffled[:, 1:] = np.random.default_rng(1).integers(len(X), size=shuffled[:, 1:].shape)
    assert recall_at_k(X, shuffled, 10, sample=300) < 0.05


def test_auto_is_exact_up_to_the_threshold_and_approximate_above(monkeypatch):
    from ogi_toolkit.analysis import knn as knn_module  # the module, no longer hidden by a function of its name
    monkeypatch.setattr(knn_module, "_gpu", lambda: False)
    assert resolve_method(1000, "auto", approximate_above=1000) == "exact"
    assert resolve_method(1001, "auto", approximate_above=1000) == "approximate"
    monkeypatch.setattr(knn_module, "_gpu", lambda: True)
    assert resolve_method(10**7, "auto", approximate_above=1000) == "exact"
    with pytest.raises(ValueError, match="'fast'.*one of"):
        resolve_method(10, "fast")


def test_stratified_sample_keeps_shares_and_small_groups():
    labels = np.array(["big"] * 9000 + ["mid"] * 990 + ["tiny"] * 10)
    rows = stratified_sample(labels, 1000, seed=0)
    counts = pd.Series(labels[rows]).value_counts()
    assert counts["big"] == 900 and counts["mid"] == 99 and counts["tiny"] == 5
    assert len(np.unique(rows)) == len(rows)


def test_umap_on_a_sample_places_every_row_or_only_the_sample():
    X, _ = _clustered_with_plants(n=1200, plants=0)
    placed = umap_coordinates(X, fit_sample=500, placement="transform")
    assert np.isfinite(placed).all() and placed.std(0).min() > 0
    only = umap_coordinates(X, fit_sample=500, placement="sample")
    assert np.isfinite(only).all(1).sum() == 500


def test_plan_is_read_streaming_with_the_same_rows(tmp_path):
    from ogi_toolkit.analysis.io import load_plan, load_table

    specs = [{"id": f"a{i}", "instruction": f"draw {i} cats", "subtask": "s", "template_id": "t", "kind": "generation",
              "scene": {"objects": [{"name": "cat", "colour": "red"}], "style": "ink"}, "slots": {"n": i}} for i in range(5)]
    path = tmp_path / "plan.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in specs))
    df = load_plan(path)
    assert df["text"].tolist() == [f"draw {i} cats" for i in range(5)]
    assert df["objects"].iloc[0] == ["cat"] and df["style"].iloc[0] == "ink" and df["slots"].iloc[3] == {"n": 3}
    table = tmp_path / "big.jsonl"
    table.write_text("".join(json.dumps({"prompt": f"p{i}", "kind": "k", "blob": "x" * 1000}) + "\n" for i in range(5)))
    frame = load_table(table)
    assert list(frame.columns) == ["text", "kind"]  # the unused column is not kept
    (tmp_path / "bad.jsonl").write_text('{"prompt": "a"}\n{"prompt": \n')
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not valid JSON"):
        load_table(tmp_path / "bad.jsonl")
