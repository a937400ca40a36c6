"""The numbers behind the vision checks: non-maximum suppression, GenEval's position rule,
directional similarity, the colour of a crop."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.vision_fixtures import tiny_models  # noqa: F401
from ogi_toolkit.vision import Box, directional_similarity, nms, phrase_boxes, position_holds


def test_nms_merges_overlapping_boxes_and_keeps_separate_ones():
    boxes = [Box(0.9, 0, 0, 10, 10), Box(0.8, 1, 1, 11, 11), Box(0.7, 50, 50, 60, 60)]
    assert [b.score for b in nms(boxes, 0.5)] == [0.9, 0.7]
    assert len(nms(boxes, 0.99)) == 3


def test_phrase_boxes_applies_the_score_threshold_first():
    found = {"cat": [Box(0.05, 0, 0, 10, 10), Box(0.3, 40, 0, 50, 10), Box(0.25, 0, 40, 10, 50)]}
    assert len(phrase_boxes(found, "cat", 0.2, 0.5)) == 2
    assert phrase_boxes(found, "dog", 0.2, 0.5) == []


@pytest.mark.parametrize("relation, subject_x, subject_y, holds", [
    ("left_of", 10, 50, True), ("left_of", 60, 50, False), ("left_of", 45, 50, False),  # 5 px < 10% margin
    ("right_of", 90, 50, True), ("above", 50, 10, True), ("above", 50, 90, False), ("below", 50, 90, True),
    ("on_top_of", 50, 20, True), ("under", 50, 20, False), ("above_left_of", 10, 10, True),
    ("above_left_of", 10, 90, False), ("below_right_of", 90, 90, True),
])
def test_position_rule_on_centres_with_a_margin(relation, subject_x, subject_y, holds):
    subject = Box(1, subject_x - 5, subject_y - 5, subject_x + 5, subject_y + 5)
    obj = Box(1, 45, 45, 55, 55)
    assert position_holds(subject, obj, relation, (100, 100), 0.1) is holds


def test_relations_that_are_not_positions_are_not_judged():
    assert position_holds(Box(1, 0, 0, 1, 1), Box(1, 5, 5, 6, 6), "holding", (10, 10), 0.1) is None


def test_directional_similarity_is_positive_when_image_and_text_change_the_same_way():
    before, after = np.array([1.0, 0, 0]), np.array([0.6, 0.8, 0])
    t_before, t_after = np.array([0.9, 0.1, 0]), np.array([0.5, 0.9, 0])
    assert directional_similarity(before, after, t_before, t_after) > 0.9
    assert directional_similarity(before, after, t_after, t_before) < -0.9
    assert directional_similarity(before, before, t_before, t_after) == 0.0  # no change in the image


def test_classify_colour_returns_one_of_the_colours_with_a_probability(tiny_models):
    from ogi_toolkit.vision import classify_colour, load_model

    clip = load_model("clip", str(tiny_models["clip"]))
    colour, p = classify_colour(clip, Image.new("RGB", (20, 20), (200, 0, 0)), "apple", ["red", "green", "blue"])
    assert colour in ("red", "green", "blue") and 1 / 3 <= p <= 1
