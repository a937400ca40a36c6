"""Cluster quality on PartiPrompts: our named k-means clusters (analysis/topics.py) against the
Category column, as ARI and NMI, with k = the number of categories and k = CLUSTERS (18, the report's).

    python bench/bench_cluster_names.py [--save-embeddings FILE]

``--save-embeddings`` writes the prompt embeddings (the packaged model) so BERTopic can be run
on the very same vectors in a separate environment (see bench/bench_bertopic_parti.py).
Needs scikit-learn (a dev dependency) for the two scores."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ogi_toolkit.analysis import get_embedder
from ogi_toolkit.analysis.topics import CLUSTERS, named_clusters

PARTI = Path(os.environ.get("OGI_EXTERNAL_DATA", "/work/shared/data/external")) / "PartiPrompts.tsv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--save-embeddings", type=Path)
    args = parser.parse_args()
    df = pd.read_csv(PARTI, sep="\t")
    texts, truth = df["Prompt"].astype(str).tolist(), df["Category"].astype(str).to_numpy()
    X = np.asarray(get_embedder().encode(texts), np.float32)
    if args.save_embeddings:
        np.save(args.save_embeddings, X)
    print(f"{len(texts)} prompts, {len(set(truth))} categories")
    for k in (len(set(truth)), CLUSTERS):
        names, table = named_clusters(texts, X, k=k)
        print(f"k={k}: ARI {adjusted_rand_score(truth, names):.3f}  NMI {normalized_mutual_info_score(truth, names):.3f}")
        for row in table.head(5 if k == CLUSTERS else k).itertuples():
            print(f"   {row.name} ({row.size}) | {'; '.join(r[:60] for r in row.representatives)}")


if __name__ == "__main__":
    main()
