"""The planner: instruction specs across subtasks by quota, without repeats."""
from .planner import (CapacityError, capacity, draws_summary, iter_draws, plan, plan_draws, summary, to_frame, write_plan,
                      write_specs)
from .quotas import grade_quotas, parse_difficulty_mix, read_counts, subtask_quotas
from .workers import available_workers

__all__ = [
    "CapacityError", "capacity", "plan", "plan_draws", "iter_draws", "write_plan", "write_specs", "summary",
    "draws_summary", "to_frame",
    "available_workers",
    "grade_quotas", "parse_difficulty_mix", "read_counts", "subtask_quotas",
]
