"""The planner: instruction specs across subtasks by quota, without repeats."""
from .planner import CapacityError, capacity, plan, plan_draws, summary, to_frame
from .quotas import grade_quotas, parse_difficulty_mix, read_counts, subtask_quotas

__all__ = [
    "CapacityError", "capacity", "plan", "plan_draws", "summary", "to_frame",
    "grade_quotas", "parse_difficulty_mix", "read_counts", "subtask_quotas",
]
