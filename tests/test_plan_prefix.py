"""What the README promises about growing a plan: with the same seed, every item of a smaller
plan is in the larger one, and per subtask and grade they come first, in the same order."""
from collections import defaultdict

from ogi_toolkit import plan


def _by_subtask_and_grade(specs):
    groups = defaultdict(list)
    for spec in specs:
        groups[(spec.subtask, spec.difficulty)].append(spec.model_dump_json())
    return groups


def test_a_smaller_plan_with_the_same_seed_is_a_prefix_of_a_larger_one():
    small, large = plan(total=300, seed=4), plan(total=1500, seed=4)
    assert {s.id for s in small} <= {s.id for s in large}
    big = _by_subtask_and_grade(large)
    for key, items in _by_subtask_and_grade(small).items():
        assert big[key][:len(items)] == items, key
    assert not {s.id for s in plan(total=300, seed=5)} & {s.id for s in small}  # another seed: other items
