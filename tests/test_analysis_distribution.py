import numpy as np
import pandas as pd
import pytest

from ogi_toolkit.analysis.distribution import (
    distribution_summary, entropy, gini, label_counts, pool_usage, skew, slot_value_counts,
)


def test_entropy_and_gini_by_hand():
    assert entropy([5, 5, 5, 5]) == pytest.approx(2.0)
    assert entropy([8, 0, 0]) == pytest.approx(0.0)
    assert gini([3, 3, 3]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)  # (m-1)/m when one category has everything
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)  # sum|ci-cj| / (2 m^2 mean) = 8 / (2*9*2)


def test_label_counts_against_targets_lists_missing_values():
    df = pd.DataFrame({"subtask": ["add"] * 3 + ["remove"]})
    table = label_counts(df, "subtask", {"add": 2, "remove": 2, "replace": 1})
    assert table["count"].to_dict() == {"add": 3, "remove": 1, "replace": 0}
    assert table.loc["add", "ratio"] == pytest.approx(1.5)
    assert table.loc["replace", "share"] == 0
    with pytest.raises(KeyError, match="'domain'"):
        label_counts(df, "domain")


def test_distribution_summary_normalised_entropy():
    df = pd.DataFrame({"a": ["x", "y"] * 4, "b": ["x"] * 7 + ["y"]})
    table = distribution_summary(df, ["a", "b"])
    assert table.loc["a", "normalised_entropy"] == pytest.approx(1.0)
    assert table.loc["b", "gini"] == pytest.approx(0.375)


def test_slot_values_and_pool_usage():
    df = pd.DataFrame({"slots": [{"object": "cat", "colour": ["red", "blue"]}, {"object": "cat", "n": 3}, {}]})
    counts = slot_value_counts(df)
    assert {(r.slot, r.value): r.count for r in counts.itertuples()} == {
        ("colour", "blue"): 1, ("colour", "red"): 1, ("n", "3"): 1, ("object", "cat"): 2}
    usage = pool_usage(counts["value"].repeat(counts["count"]), {"objects": ["cat", "dog"], "colours": ["red", "green"]})
    assert usage.set_index("value")["count"].to_dict() == {"cat": 2, "dog": 0, "red": 1, "green": 0}


def test_skew_against_uniform_pool():
    s = skew({"a": 6, "b": 2}, pool=["a", "b", "c", "d"])
    p = np.array([0.75, 0.25])
    assert s["kl_bits"] == pytest.approx(2 - (-(p * np.log2(p)).sum()))
    assert s["max_over_expected"] == pytest.approx(6 / 2)
    assert (s["used"], s["unused"]) == (2, 2)
    assert skew({"a": 4, "b": 4})["kl_bits"] == pytest.approx(0.0)
