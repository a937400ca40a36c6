"""Judge rubrics: the default weighting, user rubrics, and load errors that name file and key."""
from __future__ import annotations

import pytest

from ogi_toolkit.quality.judge import DEFAULT_RUBRIC, load_rubric

GOOD = """name: mine
scale: {min: 1, max: 5}
pass_threshold: 0.5
criteria:
  - {name: looks, weight: 3, description: it looks right}
  - {name: keeps, weight: 1, description: it keeps the rest, kinds: [editing]}
"""


def test_default_is_pico_banana_weighting():
    rubric = load_rubric()
    assert {c.name: c.weight for c in rubric.criteria} == {
        "instruction_compliance": 0.40, "realism": 0.25, "preservation": 0.20, "technical": 0.15}
    assert rubric.pass_threshold == 0.7 and (rubric.scale.min, rubric.scale.max) == (0, 10)


def test_score_is_the_weighted_mean_on_0_1_over_the_criteria_that_apply():
    rubric = load_rubric()
    raw = {"instruction_compliance": 10, "realism": 5, "preservation": 0, "technical": 10}
    score, per = rubric.score("editing", raw)
    assert score == pytest.approx(0.40 + 0.125 + 0.0 + 0.15)
    assert per == {"instruction_compliance": 1.0, "realism": 0.5, "preservation": 0.0, "technical": 1.0}
    score, per = rubric.score("generation", raw)  # preservation does not apply: weights renormalised
    assert "preservation" not in per
    assert score == pytest.approx((0.40 + 0.125 + 0.15) / 0.80, abs=1e-4)  # scores are kept to 4 places


def test_a_user_rubric_with_its_own_scale(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.score("editing", {"looks": 5, "keeps": 1}) == (0.75, {"looks": 1.0, "keeps": 0.0})
    assert [c.name for c in rubric.for_kind("generation")] == ["looks"]
    assert rubric.sha() != load_rubric().sha()


@pytest.mark.parametrize("change, expected", [
    (("weight: 3", "weight: -1"), "criteria.0.weight"),
    (("pass_threshold: 0.5", "pass_threshold: 1.5"), "pass_threshold"),
    (("{min: 1, max: 5}", "{min: 5, max: 5}"), "scale"),
    (("name: keeps", "name: looks"), "appear more than once"),
    (("name: looks", "name: Looks OK"), "criteria.0"),
    (("kinds: [editing]", "kinds: [video]"), "criteria.1.kinds"),
    (("name: mine", "name: mine\ncolour: red"), "colour"),
    (("- {name: looks, weight: 3, description: it looks right}", ""), "no criterion applies to generation"),
    (("name: mine", "name: [unclosed"), "not valid YAML"),
])
def test_a_bad_rubric_fails_at_load_naming_the_file_and_key(tmp_path, change, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_rubric(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_a_missing_rubric_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.yaml"):
        load_rubric(tmp_path / "nope.yaml")
    assert DEFAULT_RUBRIC.is_file()
