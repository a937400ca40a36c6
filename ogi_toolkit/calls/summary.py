"""What every run of calls reports: requests, store hits, money, time, timeouts and paid failures.

Each run's summary (generate, rewrite, judge) subclasses :class:`CallSummary` with its own
counts of items and writes its own first sentence; the calls part is said here, once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["CallSummary"]


@dataclass
class CallSummary:
    requests_sent: int = 0
    results_paid: int = 0
    calls_from_store: int = 0
    retries: int = 0
    timeouts: int = 0  # requests that gave no answer in time (each may have been billed)
    timeout_retries: int = 0  # of those, requests sent again (``retry_timeouts``)
    late_answers: int = 0  # timed-out requests whose answer came later: stored, free next run
    paid_failures: int = 0  # failures recorded as maybe paid: not sent again without ``retry_failed``
    failed_from_store: int = 0  # calls not sent because an earlier run recorded them so
    closed_unanswered: int = 0  # requests still open when the run stopped waiting (recorded as maybe paid)
    resent_after_stop: int = 0  # requests open when an earlier run was killed (maybe paid), sent again
    spent_usd: float = 0.0
    seconds: float = 0.0
    out: str = ""

    # How a run's text names what it sends again after a timeout, and what it does with a late answer.
    resent: ClassVar[str] = "requests"
    late: ClassVar[str] = "stored"

    def calls_text(self, from_store: str = "calls read from the store") -> str:
        return (f"{self.requests_sent} requests sent, {self.calls_from_store} {from_store}, "
                f"${self.spent_usd:.4f} spent, {self.seconds:.1f} s -> {self.out}")

    def notes(self) -> list[str]:
        """Timeouts and paid failures, when there were any (one clause each)."""
        notes = []
        if self.timeouts:
            notes.append(f"{self.timeouts} timed out ({self.timeout_retries} {self.resent} sent again, "
                         f"{self.late_answers} answered late and {self.late})")
        if self.closed_unanswered:
            notes.append(f"{self.closed_unanswered} requests closed unanswered after --close-timeout "
                         "(recorded as maybe paid)")
        if self.paid_failures:
            notes.append(f"{self.paid_failures} failures recorded as maybe paid")
        if self.resent_after_stop:
            notes.append(f"{self.resent_after_stop} requests open when an earlier run was stopped sent again "
                         "(the first may have been billed)")
        if self.failed_from_store:
            notes.append(f"{self.failed_from_store} calls that failed after being paid not sent again "
                         "(--retry-failed sends them)")
        return notes

    def with_notes(self, text: str, extra: list[str] = ()) -> str:
        notes = self.notes() + [n for n in extra if n]
        return text + ("\n" + "; ".join(notes) if notes else "")
