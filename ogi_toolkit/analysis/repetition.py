"""Repetition: exact duplicates, semantic and lexical near-duplicates, template skeletons,
most repeated n-grams."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from .cache import default_cache_dir
from .knn import APPROXIMATE_ABOVE, knn_graph
from .text import ngrams, skeleton, tokens

__all__ = [
    "exact_duplicates", "unique_texts", "NearDuplicates", "near_duplicates", "semantic_near_duplicates",
    "lexical_near_duplicates", "skeletons", "skeleton_repetition", "repeated_ngrams",
]


def unique_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row of the first occurrence of each distinct text, and each row's distinct-text number."""
    codes, _ = pd.factorize(pd.Series(list(texts), dtype=object).str.strip())
    _, first = np.unique(codes, return_index=True)
    return first, codes


def exact_duplicates(df: pd.DataFrame, column: str = "text") -> pd.DataFrame:
    """Texts that occur more than once (after stripping whitespace at the ends): one row per
    text with its count and rows. ``(count - 1).sum()`` is the number of items repeating an
    earlier one."""
    text = df[column].astype(str).str.strip()
    rows = pd.Series(np.arange(len(df)), index=text.values)
    groups = rows.groupby(level=0, sort=False).agg(list)
    groups = groups[groups.map(len) > 1]
    out = pd.DataFrame({"text": groups.index, "count": groups.map(len).values, "rows": groups.values})
    return out.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _clusters(pairs: pd.DataFrame, texts: Sequence[str], examples: int) -> pd.DataFrame:
    """Connected components of the pair graph, largest first, with example texts."""
    if pairs.empty:
        return pd.DataFrame(columns=["cluster", "size", "rows", "examples"])
    nodes = np.unique(np.concatenate([pairs["i"].to_numpy(), pairs["j"].to_numpy()]))
    local = {node: pos for pos, node in enumerate(nodes)}
    labels = _components(len(nodes), pairs["i"].map(local).to_numpy(), pairs["j"].map(local).to_numpy())
    members = pd.Series(nodes).groupby(labels).agg(list)
    out = pd.DataFrame({"size": members.map(len), "rows": members})
    out["examples"] = out["rows"].map(lambda rows: " | ".join(texts[r] for r in rows[:examples]))
    out = out.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)
    out.insert(0, "cluster", np.arange(len(out)))
    return out


@dataclass
class NearDuplicates:
    """Pairs of distinct texts above a similarity threshold, and their clusters.

    ``pairs``: rows ``i < j`` (first occurrences of each distinct text), ``similarity``.
    ``clusters``: connected components of those pairs, largest first, with examples.
    ``method``: how neighbours were searched (``"exact"``: every pair within the top ``k``).
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    method: str
    threshold: float
    k: int = 0
    extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"NearDuplicates({len(self.pairs)} pairs in {len(self.clusters)} clusters, "
                f"method={self.method!r}, threshold={self.threshold}, k={self.k})")


def _pairs_frame(i: np.ndarray, j: np.ndarray, score: np.ndarray, texts: Sequence[str], name: str) -> pd.DataFrame:
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    pairs = pd.DataFrame({"i": lo, "j": hi, name: score}).drop_duplicates(["i", "j"])
    pairs = pairs.sort_values(name, ascending=False, kind="stable").reset_index(drop=True)
    pairs["text_i"] = [texts[r] for r in pairs["i"]]
    pairs["text_j"] = [texts[r] for r in pairs["j"]]
    return pairs


def semantic_near_duplicates(texts: Sequence[str], embeddings: np.ndarray, *, threshold: float = 0.9,
                             k: int = 15, cache_dir: str | Path | None = None, examples: int = 3,
                             knn_method: str = "exact", approximate_above: int = APPROXIMATE_ABOVE) -> NearDuplicates:
    """Distinct texts whose cosine similarity is at least ``threshold``.

    kNN (``knn_method``: exact, approximate or auto, see ``knn.resolve_method``) over the
    distinct texts (exact duplicates are counted by ``exact_duplicates``):
    a pair is found when each is among the other's ``k - 1`` nearest; the clusters join pairs
    transitively, so a large group of paraphrases is still found whole.
    """
    texts = [str(t) for t in texts]
    first, _ = unique_texts(texts)
    graph = knn_graph(embeddings[first], k, method=knn_method, approximate_above=approximate_above, cache_dir=cache_dir)
    idx, sims = graph.indices, graph.similarities
    rows = np.repeat(np.arange(len(first)), idx.shape[1] - 1)
    nbrs, nsims = idx[:, 1:].ravel(), sims[:, 1:].ravel()
    keep = nsims >= threshold
    pairs = _pairs_frame(first[rows[keep]], first[nbrs[keep]], nsims[keep], texts, "similarity")
    return NearDuplicates(pairs, _clusters(pairs, texts, examples), graph.method, threshold, k,
                          {"knn_recall_at_10": graph.recall_at_10})


def lexical_near_duplicates(texts: Sequence[str], *, threshold: float = 0.8, num_perm: int = 128,
                            shingle: int = 3, examples: int = 3, batch: int = 20_000) -> NearDuplicates:
    """Distinct texts whose word-``shingle``-gram Jaccard similarity is at least ``threshold``,
    estimated with MinHash and found with LSH (``datasketch``; approximate by design).

    Shingles are hashed ``batch`` texts at a time, so only one batch's shingle sets are held."""
    from datasketch import MinHash, MinHashLSH

    texts = [str(t) for t in texts]
    first, _ = unique_texts(texts)
    hashes = []
    for start in range(0, len(first), batch):
        shingles = []
        for r in first[start:start + batch]:
            toks = tokens(texts[r])
            grams = {" ".join(g).encode() for g in ngrams(toks, shingle)} or {" ".join(toks).encode()}
            shingles.append(list(grams))
        hashes += MinHash.bulk(shingles, num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for pos, mh in enumerate(hashes):
            session.insert(pos, mh)
    i, j, score = [], [], []
    for pos, mh in enumerate(hashes):
        for other in lsh.query(mh):
            if other > pos:
                jac = mh.jaccard(hashes[other])
                if jac >= threshold:
                    i.append(first[pos]); j.append(first[other]); score.append(jac)
    pairs = _pairs_frame(np.array(i, int), np.array(j, int), np.array(score, float), texts, "jaccard")
    return NearDuplicates(pairs, _clusters(pairs, texts, examples), "minhash-lsh", threshold, num_perm)


def near_duplicates(df: pd.DataFrame, *, embeddings: np.ndarray | None = None, threshold: float = 0.9,
                    k: int = 15, column: str = "text", cache_dir: str | Path | None = None,
                    knn_method: str = "exact") -> NearDuplicates:
    """Semantic near-duplicates of ``df[column]`` (embeds ``df`` when no embeddings are given).

    The kNN graph is cached under ``~/.cache/ogi-toolkit/arrays`` (or ``cache_dir``), where
    ``project`` finds it again for UMAP.
    """
    if embeddings is None:
        from .embed import embed

        embeddings = embed(df, column=column)
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir() / "arrays"
    return semantic_near_duplicates(df[column].astype(str).tolist(), embeddings, threshold=threshold,
                                    k=k, cache_dir=cache_dir, knn_method=knn_method)


def skeletons(df: pd.DataFrame, column: str = "text") -> pd.DataFrame:
    """Each distinct skeleton with its count, share and an example, most repeated first.

    A plan's rows carry ``template_id``, which is the skeleton; free text gets one by masking
    content words (``text.skeleton``).
    """
    if "template_id" in df.columns and df["template_id"].notna().all():
        keys, source = df["template_id"].astype(str), "template_id"
    else:
        keys, source = df[column].astype(str).map(skeleton), "text"
    table = pd.DataFrame({"skeleton": keys.values, "example": df[column].astype(str).values})
    out = table.groupby("skeleton", sort=False).agg(count=("example", "size"), example=("example", "first"))
    out["share"] = out["count"] / len(df)
    out = out.sort_values("count", ascending=False, kind="stable").reset_index()
    out.attrs["source"] = source
    return out


def skeleton_repetition(df: pd.DataFrame, column: str = "text") -> float:
    """Share of items whose skeleton repeats an earlier item's: 1 - distinct skeletons / n."""
    return 1.0 - len(skeletons(df, column)) / len(df) if len(df) else float("nan")


def repeated_ngrams(texts: Sequence[str], n: Sequence[int] = (3, 4), top: int = 30) -> pd.DataFrame:
    """The ``top`` n-grams (of all the sizes in ``n`` together) found in the most prompts, each
    prompt counted once per n-gram. Ties: the longer n-gram first, then alphabetical."""
    found: Counter = Counter()
    for size in n:
        for text in texts:
            found.update(set(ngrams(tokens(text), size)))
    ranked = sorted(found.items(), key=lambda gc: (-gc[1], -len(gc[0]), gc[0]))[:top]
    rows = [{"ngram": " ".join(g), "n": len(g), "prompts": c, "share": c / max(len(texts), 1)} for g, c in ranked]
    return pd.DataFrame(rows, columns=["ngram", "n", "prompts", "share"])
