"""Turn a plan into instruction-image pairs: live (``run_plan``) or via the Batch API (``run_batch``).

Every call is keyed by what determines its result and stored before its item is marked done,
so a rerun, a resume after a crash or a plan sharing calls never pays for a result twice.
``dry_run`` prices a plan without sending anything.
"""
from .batch import arun_batch, run_batch
from ..calls import RunAborted
from .dry_run import dry_run
from .plan_file import read_plan
from .runner import RunSummary, arun_plan, run_plan

__all__ = [
    "RunAborted",
    "RunSummary",
    "arun_batch",
    "arun_plan",
    "dry_run",
    "read_plan",
    "run_batch",
    "run_plan",
]
