"""The paper's result tables, shipped as CSV files in ``data/`` beside this module.

Each loader checks the columns it promises, so a damaged or edited file fails here, naming
the file and the missing column, rather than as a wrong figure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"

# table name -> columns every figure relies on (other columns are per-dimension scores)
_REQUIRED = {
    "table1_dataset_comparison": ["dataset", "kind", "size", "num_types"],
    "table2_imgedit_bench": ["model", "setting", "overall"],
    "table3_geneval": ["model", "setting", "overall"],
    "table4_dpg_bench": ["model", "setting", "overall"],
    "table5_gedit_bench": ["model", "setting", "avg"],
    "table6_data_scaling": ["size", "benchmark", "avg"],
    "table6_data_scaling_imgedit": ["size", "overall"],
    "table7_vs_sharegpt4o": ["training_data"],
    "table8_unified_vs_separate": ["benchmark", "setting", "overall"],
    "tables9_10_taxonomy_counts": ["kind", "domain", "subtask", "samples"],
}
TABLES: tuple[str, ...] = tuple(_REQUIRED)


@dataclass(frozen=True)
class Benchmark:
    """How one benchmark table is read and shown."""

    name: str
    table: str
    overall: str  # the column holding the headline score
    kind: str  # "generation" or "editing": which half of the dataset it measures
    scale: float = 1.0  # the overview panels show GenEval x100, as the paper does


BENCHMARKS: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark("GenEval", "table3_geneval", "overall", "generation", scale=100.0),
        Benchmark("DPG-Bench", "table4_dpg_bench", "overall", "generation"),
        Benchmark("GEdit-Bench", "table5_gedit_bench", "avg", "editing"),
        Benchmark("ImgEdit-Bench", "table2_imgedit_bench", "overall", "editing"),
    )
}


def load_table(name: str) -> pd.DataFrame:
    """Read one shipped table by name (file name without ``.csv``), checking its columns."""
    if name not in _REQUIRED:
        raise KeyError(f"unknown paper table {name!r}; expected one of {', '.join(TABLES)}")
    path = DATA_DIR / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: paper table missing from the package data")
    frame = pd.read_csv(path)
    missing = [c for c in _REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; found {list(frame.columns)}")
    return frame


def benchmark_table(benchmark: str) -> pd.DataFrame:
    """A benchmark's per-dimension table (models x baseline/finetuned)."""
    return load_table(_benchmark(benchmark).table)


def score_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric score columns of a benchmark table, in file order (overall last)."""
    return [c for c in frame.columns if c not in ("model", "setting", "size", "benchmark")]


def taxonomy_counts() -> pd.DataFrame:
    """Tables 9-10: one row per subtask with ``kind``, ``domain``, ``subtask``, ``samples``."""
    return load_table("tables9_10_taxonomy_counts")


def _benchmark(name: str) -> Benchmark:
    try:
        return BENCHMARKS[name]
    except KeyError:
        raise KeyError(f"unknown benchmark {name!r}; expected one of {', '.join(BENCHMARKS)}") from None
