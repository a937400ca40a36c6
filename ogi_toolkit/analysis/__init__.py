"""Analysis of prompt sets: distribution, diversity, repetition, bias, embeddings and UMAP.

    from ogi_toolkit.analysis import load_prompts, diversity, near_duplicates, project, plot_umap
    df = load_prompts("plan.jsonl")
    diversity(df, by="subtask")
    near_duplicates(df).clusters.head()
    plot_umap(data=project(df), hue="domain")

Each function takes a DataFrame with a ``text`` column (the loaders make one) and computes the
embeddings it needs, cached on disk, when none are passed.
"""
from .bias import BiasReport, bias_report
from .distribution import entropy, gini, label_counts, pool_usage, skew, slot_value_counts
from .diversity import (
    cluster_entropy, compression_ratio, distinct_n, diversity, mean_pairwise_cosine_distance, vendi_score,
)
from .embed import DEFAULT_MODEL, Embedder, embed, get_embedder
from .images import image_near_duplicates, image_stats
from .io import load_manifest, load_plan, load_prompts, load_table, specs_to_frame
from .knn import nearest_neighbours
from .plots import plot_counts, plot_umap, umap_html
from .project import project
from .report import analyse
from .repetition import (
    NearDuplicates, exact_duplicates, lexical_near_duplicates, near_duplicates, repeated_ngrams, skeleton_repetition,
    skeletons,
)

__all__ = [
    "BiasReport", "DEFAULT_MODEL", "Embedder", "NearDuplicates",
    "analyse", "bias_report", "cluster_entropy", "compression_ratio", "distinct_n", "diversity", "embed",
    "entropy", "exact_duplicates", "get_embedder", "gini", "image_near_duplicates", "image_stats",
    "label_counts", "lexical_near_duplicates", "load_manifest", "load_plan", "load_prompts", "load_table",
    "mean_pairwise_cosine_distance", "near_duplicates", "nearest_neighbours", "plot_counts", "plot_umap", "pool_usage", "project",
    "repeated_ngrams", "skeleton_repetition", "skeletons", "skew", "slot_value_counts", "specs_to_frame",
    "umap_html", "vendi_score",
]
