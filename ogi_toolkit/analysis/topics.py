"""Named clusters: k-means clusters of the prompt embeddings, each named the way BERTopic
users expect, by its c-TF-IDF keywords and its three most representative prompts.

c-TF-IDF (Grootendorst 2022, BERTopic) treats each cluster as one document: a word's weight in
cluster c is tf(w, c) * log(1 + A / f(w)), with tf the word's share of the cluster's words,
f(w) its count over all clusters and A the mean number of words per cluster. Words common to
every cluster ("a", "image", "of") sink; words that set a cluster apart rise.
The representative prompts are the distinct prompts nearest the cluster's centroid.
"""
from __future__ import annotations

import re
from pathlib import Path
from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from ..atomic_io import atomic_write_text
from .colours import CATEGORICAL
from .diversity import kmeans_labels

__all__ = ["ctfidf_keywords", "name_clusters", "named_clusters", "write_cluster_tables"]

# English function words (and the prompt boilerplate of image datasets) never name a cluster.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself
image picture photo photograph shows showing show one two three four five make add made using use each
""".split())
CLUSTERS = len(CATEGORICAL)  # one colour each on the projection: no cluster is folded into "other", every hover names it
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(str(text).lower()) if w not in STOPWORDS and len(w) > 1]


def ctfidf_keywords(texts: Sequence[str], labels: Sequence[int], top_n: int = 8) -> dict[int, list[str]]:
    """The ``top_n`` words of highest c-TF-IDF weight in each cluster (label -> words, best first;
    ties broken alphabetically so the names are stable)."""
    per_cluster: dict[int, Counter] = {}
    for text, label in zip(texts, labels):
        per_cluster.setdefault(int(label), Counter()).update(_words(text))
    overall = Counter()
    for counts in per_cluster.values():
        overall.update(counts)
    mean_words = sum(overall.values()) / max(len(per_cluster), 1)
    keywords = {}
    for label, counts in per_cluster.items():
        total = sum(counts.values()) or 1
        weights = {w: (n / total) * np.log(1 + mean_words / overall[w]) for w, n in counts.items()}
        keywords[label] = [w for w, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]]
    return keywords


def name_clusters(texts: Sequence[str], X: np.ndarray, labels: Sequence[int], *, top_n: int = 8,
                  representatives: int = 3, name_words: int = 3) -> pd.DataFrame:
    """One row per cluster, largest first: ``cluster`` (its label), ``name`` ("3: dog, leash,
    park": number and top ``name_words`` keywords), ``size``, ``keywords`` (the ``top_n``
    c-TF-IDF words) and ``representatives`` (the ``representatives`` distinct prompts nearest
    its centroid, by cosine)."""
    labels = np.asarray(labels)
    X = np.asarray(X, np.float32)
    unit = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    keywords = ctfidf_keywords(texts, labels, top_n)
    sizes = Counter(labels.tolist())
    rows = []
    for rank, (label, size) in enumerate(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])), start=1):
        members = np.flatnonzero(labels == label)
        centroid = unit[members].mean(0)
        order = members[np.argsort(-(unit[members] @ centroid), kind="stable")]
        picked: list[str] = []
        for i in order:
            if texts[i] not in picked:
                picked.append(str(texts[i]))
            if len(picked) == representatives:
                break
        words = keywords[int(label)]
        rows.append({"cluster": int(label), "name": f"{rank}: " + (", ".join(words[:name_words]) or "(no words)"),
                     "size": int(size), "keywords": words, "representatives": picked})
    return pd.DataFrame(rows, columns=["cluster", "name", "size", "keywords", "representatives"])


def named_clusters(texts: Sequence[str], X: np.ndarray, k: int = CLUSTERS, seed: int = 0) -> tuple[list[str], pd.DataFrame]:
    """k-means (``k`` at most the number of distinct rows) on ``X`` and the clusters' names:
    (each row's cluster name, the :func:`name_clusters` table). Fewer than two distinct rows:
    no clusters, ([], an empty table)."""
    k = min(k, len({row.tobytes() for row in np.asarray(X, np.float32)}))
    if k < 2:
        return [], name_clusters([], np.zeros((0, 1)), [])
    labels = kmeans_labels(X, k, seed)
    table = name_clusters(texts, X, labels)
    name_of = dict(zip(table["cluster"], table["name"]))
    return [name_of[int(c)] for c in labels], table


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    atomic_write_text(path, table.to_csv(index=False))


def write_cluster_tables(df: pd.DataFrame, texts: list[str], X: np.ndarray, tables: Path) -> tuple[list[str], pd.DataFrame]:
    """Named k-means clusters (:func:`named_clusters`): ``tables/clusters.csv`` (name, size, keywords,
    representative prompts) and, when the rows have ids, ``tables/item_clusters.csv`` (id ->
    cluster name: the gallery's cluster filter reads it). Returns each row's cluster name and the table."""
    cluster_of, table = named_clusters(texts, X)
    if len(table):
        _write_csv(table.assign(keywords=table["keywords"].str.join(", "),
                                representatives=table["representatives"].str.join(" | ")).drop(columns="cluster"),
                   tables / "clusters.csv")
        if "id" in df.columns:
            _write_csv(pd.DataFrame({"id": df["id"].astype(str), "cluster": cluster_of}), tables / "item_clusters.csv")
    return cluster_of, table
