"""Figures from data: the paper's (from its result tables, shipped in ``data/``) and the
same charts for any plan or dataset. One function per figure; each takes ``data=`` (default:
the paper's table) and ``ax=`` or ``fig=``, and returns what it drew on."""
from .benchmarks import (
    benchmark_heatmap,
    benchmark_tables,
    data_scaling,
    data_scaling_figure,
    finetune_gains,
    finetune_panels,
    training_data_comparison,
    unified_vs_separate,
)
from .comparison import dataset_comparison
from .counts import domain_counts, subtask_counts
from .data_charts import domain_shares, subtask_distribution
from .sunburst import taxonomy_sunburst, taxonomy_sunburst_plotly
from .tables import BENCHMARKS, load_table, taxonomy_counts
from .write import PAPER_FIGURES, save_figure, write_data_figures, write_paper_figures

__all__ = [
    "BENCHMARKS",
    "PAPER_FIGURES",
    "benchmark_heatmap",
    "benchmark_tables",
    "data_scaling",
    "data_scaling_figure",
    "dataset_comparison",
    "domain_counts",
    "domain_shares",
    "finetune_gains",
    "finetune_panels",
    "load_table",
    "save_figure",
    "subtask_counts",
    "subtask_distribution",
    "taxonomy_counts",
    "taxonomy_sunburst",
    "taxonomy_sunburst_plotly",
    "training_data_comparison",
    "unified_vs_separate",
    "write_data_figures",
    "write_paper_figures",
]
