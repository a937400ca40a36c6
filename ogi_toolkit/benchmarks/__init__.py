"""Benchmark leakage and coverage: check a dataset against the benchmarks its models will be
tested on.

    from ogi_toolkit.benchmarks import available_benchmarks, leakage, leak_counts, coverage
    available_benchmarks()                               # known sets: present or not, licences, sources
    matches = leakage("plan.jsonl", against="geneval,parti")
    leak_counts(matches, by="subtask")
    cov = coverage("plan.jsonl", against="geneval,parti"); coverage_figure(cov)

The known prompt sets are read in place from ``paths.EXTERNAL_DATA_DIR`` (``$OGI_EXTERNAL_DATA``);
``data/<name>/SOURCE.yaml`` names each one's file there, licence and origin. The thresholds are in
``leakage.yaml``; the category -> subtask map in ``data/coverage_map.csv``.
"""
from .config import Thresholds, load_thresholds
from .coverage import coverage, coverage_map
from .drop import DropResult, drop_leaks
from .items import dataset_texts
from .leakage import KINDS, LeakFinder, closest_pairs, leak_counts, leakage
from .matching import normalise
from .plots import coverage_figure, plot_coverage, plot_nearest
from .sets import available_benchmarks, load_benchmark, load_benchmarks, present_sets, user_supplied

__all__ = [
    "DropResult", "KINDS", "LeakFinder", "Thresholds", "available_benchmarks", "closest_pairs", "coverage", "coverage_figure",
    "coverage_map", "dataset_texts", "drop_leaks", "leak_counts", "leakage", "load_benchmark", "load_benchmarks",
    "load_thresholds", "normalise", "plot_coverage", "plot_nearest", "present_sets", "user_supplied",
]
