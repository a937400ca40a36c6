"""Inputs of ``bench_scale.py``: planner texts grown to any size by light perturbations, and
embeddings of the same shape for the sizes that cannot be embedded on this machine.

    texts, labels = scaled_texts(plan_path, n)      # n planner instructions, perturbed past the plan
    X = scaled_embeddings(base_vectors, source, seed)

The 1M texts are the 80,700 planner texts plus copies with one light edit each (a word dropped,
two neighbouring words swapped, an adjective or a style suffix added), so every text is
distinct-ish like a real large set. Embeddings past what was embedded are the embedding of the
text a perturbation came from plus isotropic noise (cosine ~0.9 to it): the same shape and
norm, clustered like paraphrases, and harder than real data for an approximate search (noise in
all 384 directions), so the recall measured on them is a conservative one.
"""
from __future__ import annotations

import numpy as np
import orjson

ADJECTIVES = ("small", "large", "bright", "old", "new", "simple", "detailed", "quiet", "colourful", "plain")
SUFFIXES = (", photorealistic", ", in soft light", ", high detail", ", watercolour style", ", minimal", ", at dusk")
NOISE_SIGMA = 0.0247  # 1 / sqrt(1 + 384 sigma^2) = 0.9: cosine of a perturbed vector to its source


def read_plan_texts(path: str) -> tuple[list[str], list[str]]:
    texts, subtasks = [], []
    with open(path, "rb") as fh:
        for line in fh:
            spec = orjson.loads(line)
            texts.append(spec["instruction"])
            subtasks.append(spec["subtask"])
    return texts, subtasks


def perturb(text: str, rng: np.random.Generator) -> str:
    words = text.split()
    move = rng.integers(4)
    if move == 0 and len(words) > 4:
        del words[rng.integers(len(words))]
    elif move == 1 and len(words) > 2:
        i = rng.integers(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif move == 2:
        words.insert(rng.integers(len(words) + 1), ADJECTIVES[rng.integers(len(ADJECTIVES))])
    else:
        return text + SUFFIXES[rng.integers(len(SUFFIXES))]
    return " ".join(words)


def scaled_texts(base_texts: list[str], base_labels: list[str], n: int, seed: int = 0):
    """``n`` texts: the base texts first, then perturbed copies; and the base row each came from."""
    rng = np.random.default_rng(seed)
    source = np.concatenate([np.arange(min(n, len(base_texts))), rng.integers(len(base_texts), size=max(0, n - len(base_texts)))])
    texts = [base_texts[s] if i < len(base_texts) else perturb(base_texts[s], rng) for i, s in enumerate(source)]
    return texts, [base_labels[s] for s in source], source


def scaled_embeddings(base: np.ndarray, source: np.ndarray, seed: int = 0, chunk: int = 100_000,
                      out: np.ndarray | None = None) -> np.ndarray:
    """Unit rows: ``base[source % len(base)]`` plus noise (an exact copy for the first len(base) rows)."""
    rng = np.random.default_rng(seed)
    X = out if out is not None else np.empty((len(source), base.shape[1]), np.float32)
    for start in range(0, len(source), chunk):
        rows = np.arange(start, min(start + chunk, len(source)))
        v = base[source[rows] % len(base)].astype(np.float32)
        noisy = rows >= len(base)
        v[noisy] += rng.normal(0, NOISE_SIGMA, (int(noisy.sum()), base.shape[1])).astype(np.float32)
        X[rows] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return X
