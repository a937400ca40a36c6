"""Quality control of generated pairs, in three packages: offline checks (:mod:`.checks`,
``check``), the VLM judge (:mod:`.judge`), human ratings and their agreement with the judge
(:mod:`.ratings`); plus filtering (``filter_dataset``).

    from ogi_toolkit.quality import check, filter_dataset
    check("data/run1")                                   # writes data/run1/checks.jsonl
    filter_dataset("data/run1", "data/run1-kept", require=["text", "preservation"])
"""
from .checks import (CHECKS_VERSION, CheckRun, ChecksConfig, check, failures_table, format_rates,
                     load_checks_config, ocr_rates, pass_rates)
from .filtering import FilterReport, filter_dataset

__all__ = ["CHECKS_VERSION", "CheckRun", "ChecksConfig", "FilterReport", "check", "filter_dataset",
           "failures_table", "format_rates", "load_checks_config", "ocr_rates", "pass_rates"]
