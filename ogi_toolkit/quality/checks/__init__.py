"""Offline checks of a dataset folder (``ogi check``): a registry of checks (:mod:`.registry`;
the built-in ones in :mod:`.suite`: technical, preservation, text/OCR, layout), each with its
thresholds beside it; duplicates across outputs; result records, summaries, and the fault
planter used to test them.

    from ogi_toolkit.quality.checks import check
    check("data/run1")                                   # writes data/run1/checks.jsonl
"""
from .checking import CHECKS_VERSION, CheckRun, check
from .config import ChecksConfig, load_checks_config
from .summary import failures_table, format_rates, ocr_rates, pass_rates

__all__ = ["CHECKS_VERSION", "CheckRun", "ChecksConfig", "check", "failures_table", "format_rates",
           "load_checks_config", "ocr_rates", "pass_rates"]
