import numpy as np
import pytest

from ogi_toolkit.analysis import Embedder, nearest_neighbours
from tests.analysis_fixtures import analysis_cache, embedder, parti, parti_sample, parti_vectors  # noqa: F401


def test_embeddings_are_unit_rows_and_duplicates_are_encoded_once(embedder):
    before = embedder.n_encoded
    texts = ["a red fox in the snow", "a blue car", "a red fox in the snow", "a tiny robot"]
    X = embedder.encode(texts)
    assert X.shape == (4, 384) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(X[0], X[2])
    assert embedder.n_encoded - before == 3


def test_second_call_embeds_nothing_new_and_a_new_process_reads_the_disk_cache(embedder, parti_sample):
    texts = parti_sample.text.iloc[:120].tolist()
    first = embedder.encode(texts)
    before = embedder.n_encoded
    again = embedder.encode(texts + ["a sentence that was never embedded before"])
    assert embedder.n_encoded - before == 1
    assert np.array_equal(again[:120], first)
    # A fresh Embedder over the same folder (as a re-run would make) hits the disk cache.
    fresh = Embedder(cache_dir=embedder.cache_root)
    assert np.array_equal(fresh.encode(texts), first)
    assert fresh.n_encoded == 0 and fresh._model is None  # the model was not even loaded


def test_cached_vectors_equal_a_fresh_encode(embedder):
    texts = ["a lighthouse at dusk", "three green apples on a plate"]
    cached = embedder.encode(texts)
    direct = embedder.model.encode(texts, normalize_embeddings=True)
    assert np.allclose(cached, direct, atol=1e-5)


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend 'tensorrt'"):
        Embedder(backend="tensorrt")


def test_exact_knn_matches_brute_force(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 16)).astype(np.float32)
    X[10] = X[3]  # an exact duplicate must not push a row off its own first place
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    idx, sims = nearest_neighbours(X, 5, cache_dir=tmp_path, block=64)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    assert (idx[:, 0] == np.arange(300)).all()
    assert np.allclose(sims[:, 0], 1.0)
    assert np.allclose(np.sort(S, axis=1)[:, ::-1][:, :4], sims[:, 1:], atol=1e-5)
    assert idx[3, 1] == 10 and idx[10, 1] == 3
    again = nearest_neighbours(X, 5, cache_dir=tmp_path, block=64)
    assert np.array_equal(again[0], idx) and len(list(tmp_path.glob("knn-*.npz"))) == 1


def test_partiprompts_neighbours_share_their_category_far_above_chance(parti_sample, parti_vectors):
    sample = parti_sample
    idx, _ = nearest_neighbours(parti_vectors, 6)
    labels = sample.Category.to_numpy()
    agreement = (labels[idx[:, 1:]] == labels[:, None]).mean()
    shares = sample.Category.value_counts(normalize=True)
    chance = (shares ** 2).sum()  # two random prompts share a category this often
    assert chance < 0.2
    assert agreement > 2.5 * chance
