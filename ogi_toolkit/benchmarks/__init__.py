"""Benchmark leakage and coverage: check a dataset against the benchmarks its models will be
tested on.

    from ogi_toolkit.benchmarks import available_benchmarks, leakage, leak_counts, coverage
    available_benchmarks()                               # bundled sets, licences, sources
    matches = leakage("plan.jsonl", against="geneval,dpg,parti")
    leak_counts(matches, by="subtask")
    cov = coverage("plan.jsonl", against="geneval,dpg"); coverage_figure(cov)

The bundled prompt sets live in ``data/<name>/`` with their LICENSE and SOURCE.yaml; the
thresholds in ``leakage.yaml``; the category -> subtask map in ``data/coverage_map.csv``.
"""
from .config import Thresholds, load_thresholds
from .coverage import coverage, coverage_map
from .drop import DropResult, drop_leaks
from .items import dataset_texts
from .leakage import KINDS, LeakFinder, closest_pairs, leak_counts, leakage
from .matching import normalise
from .plots import coverage_figure, plot_coverage, plot_nearest
from .sets import available_benchmarks, load_benchmark, load_benchmarks, user_supplied

__all__ = [
    "DropResult", "KINDS", "LeakFinder", "Thresholds", "available_benchmarks", "closest_pairs", "coverage", "coverage_figure",
    "coverage_map", "dataset_texts", "drop_leaks", "leak_counts", "leakage", "load_benchmark", "load_benchmarks",
    "load_thresholds", "normalise", "plot_coverage", "plot_nearest", "user_supplied",
]
