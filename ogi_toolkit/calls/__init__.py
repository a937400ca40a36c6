"""The call engine: everything a run that sends requests per item shares, written once.

A run (``generate``, ``rewrite``, ``judge``; later vision-model calls) says what to send for an
item and what of the answer to keep; the engine does the rest:

* :mod:`.keys` request keys (a hash of everything that determines a result);
* :mod:`.store` the result store (``calls.jsonl`` + content-addressed images): nothing stored is sent again;
* :mod:`.lock` one run at a time per folder;
* :mod:`.cost` prices, estimates and the ``max_cost`` budget; :mod:`.ratelimit` requests per minute;
* :mod:`.caller` store first, then paced, budgeted, retried requests; timed-out requests held
  open until they close, late answers stored, maybe-paid failures recorded;
* :mod:`.run` the backend, lock, store and caller of one run, and the walk over its items
  (timed-out items walked again once their requests closed; every request waited for);
* :mod:`.batch` the same calls through the Batch API, in rounds;
* :mod:`.summary` what every run reports about its calls.
"""
from .caller import BudgetExhausted, CallOutcome, Caller, CallStats, ItemFailed, RunAborted
from .run import CallRun, check_backend, make_backend, open_backend, run_sync
from .store import ResultStore, StoredImage
from .summary import CallSummary

__all__ = ["BudgetExhausted", "CallOutcome", "CallRun", "CallStats", "CallSummary", "Caller", "ItemFailed",
           "ResultStore", "RunAborted", "StoredImage", "check_backend", "make_backend", "open_backend",
           "run_sync"]
