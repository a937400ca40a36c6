import numpy as np
import pytest

from ogi_toolkit.analysis.diversity import (
    cluster_entropy, compression_ratio, distinct_n, diversity, mean_pairwise_cosine_distance, vendi_score,
)
from tests.analysis_fixtures import analysis_cache, embedder, geneval, geneval_sample, parti, parti_sample, parti_vectors  # noqa: F401


def test_mean_pairwise_cosine_distance_matches_hand_cases():
    assert mean_pairwise_cosine_distance(np.eye(4)) == pytest.approx(1.0)
    assert mean_pairwise_cosine_distance(np.tile([[0.6, 0.8]], (5, 1))) == pytest.approx(0.0, abs=1e-12)
    # Three unit vectors at 0, 90 and 180 degrees: distances 1, 1, 2 -> mean 4/3.
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    assert mean_pairwise_cosine_distance(X) == pytest.approx(4 / 3)


def test_mean_pairwise_cosine_distance_equals_the_explicit_mean():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 8))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    S = X @ X.T
    explicit = (1 - S)[~np.eye(50, dtype=bool)].mean()
    assert mean_pairwise_cosine_distance(X) == pytest.approx(explicit)


def test_vendi_score_hand_cases():
    assert vendi_score(np.eye(6)) == pytest.approx(6.0)  # orthogonal: n distinct items
    assert vendi_score(np.tile([[1.0, 0.0, 0.0]], (10, 1))) == pytest.approx(1.0)  # identical: one
    # Two orthogonal groups of equal size: eigenvalues 1/2, 1/2 -> VS = 2.
    X = np.vstack([np.tile([1.0, 0.0], (7, 1)), np.tile([0.0, 1.0], (7, 1))])
    assert vendi_score(X) == pytest.approx(2.0)


@pytest.mark.parametrize("n, d", [(40, 5), (5, 40)])  # covariance form, then the smaller kernel form
def test_vendi_equals_the_n_by_n_kernel_definition(n, d):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    lam = np.linalg.eigvalsh(X @ X.T / n)
    lam = lam[lam > 1e-12]
    assert vendi_score(X) == pytest.approx(np.exp(-(lam * np.log(lam)).sum()))


def test_distinct_n_counts_by_hand():
    texts = ["a red car", "A red bus"]  # unigrams: a, red, car, bus (4 of 6); bigrams: 3 of 4
    assert distinct_n(texts, 1) == pytest.approx(4 / 6)
    assert distinct_n(texts, 2) == pytest.approx(3 / 4)
    assert distinct_n(texts, 3) == pytest.approx(2 / 2)
    assert np.isnan(distinct_n(["one"], 2))


def test_compression_ratio_is_higher_for_repetitive_text():
    repetitive = ["a photo of a cat"] * 200
    varied = [f"prompt {i} about {w}" for i, w in enumerate("zebra quartz mango violin glacier".split() * 40)]
    assert compression_ratio(repetitive) > 10 > compression_ratio(varied) > 1


def test_cluster_entropy_even_and_crowded():
    rng = np.random.default_rng(0)
    centres = np.eye(4)
    even = np.repeat(centres, 25, axis=0) + rng.normal(scale=0.01, size=(100, 4))
    assert cluster_entropy(even, k=4) == pytest.approx(1.0, abs=1e-6)
    crowded = np.vstack([np.repeat(centres[:1], 97, axis=0), centres[1:]]) + rng.normal(scale=0.01, size=(100, 4))
    assert cluster_entropy(crowded, k=4) < 0.2


def test_geneval_templates_are_less_diverse_than_partiprompts(parti_sample, parti_vectors, geneval_sample, embedder):
    dp = diversity(parti_sample, by=None, embeddings=parti_vectors).loc["(all)"]
    dg = diversity(geneval_sample, by=None, embeddings=embedder.encode(geneval_sample.text)).loc["(all)"]
    assert dg.distinct_2 < dp.distinct_2 / 2
    assert dg.vendi < dp.vendi / 2
    assert dg.mean_pairwise_cosine_distance < dp.mean_pairwise_cosine_distance - 0.1
    assert dg.compression_ratio > dp.compression_ratio


def test_diversity_by_group_has_one_row_per_group(parti_sample, parti_vectors):
    p = parti_sample.iloc[:300]
    table = diversity(p, by="Category", embeddings=parti_vectors[:300])
    assert set(table.index) == {"(all)", *p.Category.unique()}
    assert table.loc["(all)", "n"] == 300
    assert table.drop(index="(all)")["n"].sum() == 300
    animals = (p.Category == "Animals").to_numpy()
    assert table.loc["Animals", "vendi"] == pytest.approx(vendi_score(parti_vectors[:300][animals]))
    with pytest.raises(KeyError, match="nope"):
        diversity(p, by="nope", embeddings=parti_vectors[:300])
