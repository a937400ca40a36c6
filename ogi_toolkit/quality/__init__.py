"""Quality control of generated pairs: offline checks (``check``), the VLM judge
(:mod:`.judge`), and filtering (``filter_dataset``).

    from ogi_toolkit.quality import check, filter_dataset
    check("data/run1")                                   # writes data/run1/checks.jsonl
    filter_dataset("data/run1", "data/run1-kept", require=["text", "preservation"])
"""
from .checking import CHECKS_VERSION, CheckRun, check
from .config import ChecksConfig, load_checks_config
from .filtering import FilterReport, filter_dataset
from .summary import failures_table, format_rates, ocr_rates, pass_rates

__all__ = ["CHECKS_VERSION", "CheckRun", "ChecksConfig", "FilterReport", "check", "filter_dataset",
           "failures_table", "format_rates", "load_checks_config", "ocr_rates", "pass_rates"]
