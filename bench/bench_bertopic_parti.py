"""BERTopic's topics on PartiPrompts with the same embeddings as ours, for the side-by-side in
the cluster-quality note. BERTopic is NOT a dependency: run this in a throwaway environment

    python -m venv /tmp/bt && /tmp/bt/bin/pip install bertopic scikit-learn pandas
    python bench/bench_cluster_names.py --save-embeddings /tmp/parti_emb.npy   # our env: the packaged model
    /tmp/bt/bin/python bench/bench_bertopic_parti.py /tmp/parti_emb.npy

It prints ARI/NMI against Category for BERTopic's default (UMAP + HDBSCAN; outliers are one
more class) and for BERTopic with k-means (k = 12 categories), and the first topics' words."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from bertopic import BERTopic
from bertopic.backend import BaseEmbedder
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

PARTI = Path(os.environ.get("OGI_EXTERNAL_DATA", "/work/shared/data/external")) / "PartiPrompts.tsv"


def main() -> None:
    df = pd.read_csv(PARTI, sep="\t")
    texts, truth = df["Prompt"].astype(str).tolist(), df["Category"].astype(str).to_numpy()
    X = np.load(sys.argv[1])
    assert len(X) == len(texts), "embeddings of another file"
    for name, kwargs in (("default (UMAP+HDBSCAN)", {}), ("k-means k=12", {"hdbscan_model": KMeans(12, n_init=3, random_state=0)})):
        model = BERTopic(embedding_model=BaseEmbedder(), **kwargs)
        topics, _ = model.fit_transform(texts, X)
        n = len(set(topics) - {-1})
        print(f"BERTopic {name}: {n} topics, {sum(t == -1 for t in topics)} outliers; "
              f"ARI {adjusted_rand_score(truth, topics):.3f}  NMI {normalized_mutual_info_score(truth, topics):.3f}")
        for row in model.get_topic_info().head(6).itertuples():
            print(f"   {row.Topic} ({row.Count}): {row.Name}")


if __name__ == "__main__":
    main()
