"""The per-item generator: numpy Generator's calls builders make, deterministic per seed."""
from collections import Counter

import numpy as np
import pytest

from ogi_toolkit.templates.item_random import ItemRandom
from ogi_toolkit.templates.sampler import item_rng


def draws(rng: ItemRandom) -> list:
    return [rng.random(), rng.integers(2, 5), rng.integers(7), rng.permutation(6), rng.choice(["a", "b", "c"]),
            rng.uniform(1, 2), rng.normal(0, 1), rng.random(3).tolist(), rng.integers(0, 10, size=4).tolist(),
            rng.choice(10, size=3, replace=False).tolist()]


def test_same_seed_same_draws_other_seed_other_draws():
    assert draws(ItemRandom(42)) == draws(ItemRandom(42))
    assert draws(ItemRandom(42)) != draws(ItemRandom(43))
    assert draws(item_rng(7)) == draws(ItemRandom(7))  # re-seeding the shared one is a fresh start


def test_ranges_match_numpy_semantics():
    rng = ItemRandom(0)
    ints = [rng.integers(2, 5) for _ in range(2000)]
    assert set(ints) == {2, 3, 4}  # high excluded
    assert set(rng.integers(1, 3, endpoint=True) for _ in range(500)) == {1, 2, 3}
    assert set(rng.integers(3) for _ in range(500)) == {0, 1, 2}
    assert all(0.0 <= rng.random() < 1.0 for _ in range(1000))
    assert sorted(rng.permutation(5)) == [0, 1, 2, 3, 4]
    assert sorted(rng.permutation(["x", "y", "z"])) == ["x", "y", "z"]
    picked = rng.choice(20, size=20, replace=False).tolist()
    assert sorted(picked) == list(range(20))
    with pytest.raises(ValueError, match="without replacement"):
        rng.choice(3, size=4, replace=False)
    with pytest.raises(ValueError, match="high"):
        rng.integers(5, 5)


def test_choice_keeps_element_types_and_follows_weights():
    rng = ItemRandom(1)
    pair = ("mug", "red")
    assert rng.choice([pair, pair]) == pair  # a tuple stays a tuple (numpy would make an array)
    counts = Counter(rng.choice(["rare", "common"], p=[0.1, 0.9]) for _ in range(5000))
    assert 0.07 < counts["rare"] / 5000 < 0.13


def test_other_numpy_methods_come_from_the_items_own_stream():
    a, b = ItemRandom(5), ItemRandom(5)
    first = a.dirichlet([1, 1, 1])
    assert np.allclose(first, b.dirichlet([1, 1, 1]))
    assert not np.allclose(first, ItemRandom(6).dirichlet([1, 1, 1]))
    with pytest.raises(AttributeError):
        a._private_thing


def test_next_float_is_random_without_arguments_across_reseeding():
    fast, slow = ItemRandom(5), ItemRandom(5)
    assert [fast.next_float() for _ in range(5)] == [slow.random() for _ in range(5)]
    fast.seed(6), slow.seed(6)
    assert [fast.next_float() for _ in range(5)] == [slow.random() for _ in range(5)]
    assert fast.next_float() != ItemRandom(7).next_float()
