"""Curation for training: nested stratified subsets and stable splits of a dataset folder.

It sits above the analysis layer (it uses its near-duplicate search and diversity metrics)
and below the figures; its results are dataset folders that every reader of ours reads.
"""
from .quality import QualityFilter
from .sizes import parse_size, parse_sizes
from .split import split_dataset
from .subset import make_subsets

__all__ = ["QualityFilter", "make_subsets", "parse_size", "parse_sizes", "split_dataset"]
