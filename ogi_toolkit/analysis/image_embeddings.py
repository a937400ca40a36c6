"""Analysis with image embeddings (``ogi analyse DIR --images``): how varied the images are
(Vendi score on CLIP image embeddings, beside the prompts'), image near-duplicates found by the
same kNN search as the prompts', a projection of the images coloured like the prompts' one, and
how well each image fits its prompt (CLIP cosine), per subtask.

The model is any CLIP / SigLIP loaded with :func:`ogi_toolkit.vision.load_model`; vectors are
cached by image content (see :mod:`ogi_toolkit.vision.embeddings`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .diversity import mean_pairwise_cosine_distance, vendi_score
from .knn import APPROXIMATE_ABOVE
from .repetition import semantic_near_duplicates

__all__ = ["IMAGE_HEADLINE_KEYS", "IMAGE_NEAR_THRESHOLD", "alignment_by", "image_diversity", "image_embedding_analysis"]

# CLIP image cosine of a near-duplicate pair: re-encodes and resizes score >= 0.98; two
# pictures of one prompt by one model ~0.85-0.95 (not calibrated on real weights here)
IMAGE_NEAR_THRESHOLD = 0.95
IMAGE_HEADLINE_KEYS = ("images_embedded", "image_vendi", "image_embedding_near_duplicate_pairs",
                       "image_text_alignment_mean")


def image_diversity(frame: pd.DataFrame, X: np.ndarray, by: str | None) -> pd.DataFrame:
    """Vendi score and mean pairwise cosine distance of image embeddings, overall and per ``by``."""
    rows = [{"group": "(all)", "n": len(X), "image_vendi": vendi_score(X),
             "image_mean_pairwise_cosine_distance": mean_pairwise_cosine_distance(X)}]
    if by is not None:
        for value, idx in frame.groupby(by, sort=True).indices.items():
            rows.append({"group": value, "n": len(idx), "image_vendi": vendi_score(X[idx]),
                         "image_mean_pairwise_cosine_distance": mean_pairwise_cosine_distance(X[idx])})
    return pd.DataFrame(rows).set_index("group")


def alignment_by(frame: pd.DataFrame, alignment: np.ndarray, by: str) -> pd.DataFrame:
    """The distribution of text-image alignment per ``by``: count, mean, std and quantiles."""
    values = pd.Series(alignment, index=frame.index, name="alignment")
    table = values.groupby(frame[by]).describe(percentiles=[0.1, 0.5, 0.9])
    return table.rename(columns={"count": "n"}).astype({"n": int})


def _alignment_figure(frame: pd.DataFrame, alignment: np.ndarray, by: str, path: Path) -> None:
    from matplotlib.figure import Figure

    order = sorted(frame[by].dropna().unique())
    values = [alignment[(frame[by] == g).to_numpy()] for g in order]
    fig = Figure(figsize=(7, 0.3 * len(order) + 1.4))
    ax = fig.subplots()
    ax.boxplot(values, orientation="horizontal", showfliers=True)
    ax.set_yticks(range(1, len(order) + 1), labels=[f"{g} ({len(v)})" for g, v in zip(order, values)], fontsize=8)
    ax.set(xlabel="CLIP cosine of image and prompt", title=f"Text-image alignment by {by} ({len(frame)} images)")
    fig.savefig(path, dpi=120, bbox_inches="tight")


def _projection_figures(frame: pd.DataFrame, X: np.ndarray, groups: list[str], figures: Path, arrays_dir: Path,
                        skipped: list[str]) -> str | None:
    from matplotlib.figure import Figure

    from .plots import plot_umap
    from .project import project, projection_method

    method = projection_method(len(frame))
    if method is None:
        skipped.append(f"image projection: {len(frame)} image(s) make no picture; none drawn")
        return None
    projected = project(frame, embeddings=X, column="image_path", cache_dir=arrays_dir, method=method,
                        stratify=groups[0] if groups else None)
    for col in groups[:3] or [None]:
        fig = Figure(figsize=(7, 6))
        ax = plot_umap(data=projected, hue=col, ax=fig.subplots(), method=method)
        ax.set_title(f"{method} of image embeddings{f', by {col}' if col else ''} ({len(frame)} images)")
        fig.savefig(figures / f"image_umap{f'_{col}' if col else ''}.png", dpi=120, bbox_inches="tight")
    return method


def image_embedding_analysis(df: pd.DataFrame, clip, *, groups: list[str], tables: Path, figures: Path,
                             arrays_dir: Path, cache_dir: Path | None = None, skipped: list[str],
                             near_threshold: float = IMAGE_NEAR_THRESHOLD, knn: str = "auto",
                             knn_threshold: int = APPROXIMATE_ABOVE, umap: bool = True) -> dict[str, Any]:
    """Every image-embedding analysis of the rows of ``df`` whose ``image_path`` is a readable
    image; writes tables and figures and returns the summary's ``image_*`` entries."""
    from ..vision import image_embeddings, open_rgb, text_embeddings

    def readable(path) -> bool:
        try:
            return isinstance(path, str) and Path(path).is_file() and open_rgb(path) is not None
        except ValueError:
            return False

    frame = df[[readable(p) for p in df.get("image_path", pd.Series(index=df.index, dtype=object))]]
    if frame.empty:
        skipped.append("image embeddings: no readable images")
        return {}
    frame = frame.reset_index(drop=True)
    paths = frame["image_path"].tolist()
    X = image_embeddings(clip, paths, cache_dir=cache_dir)
    T = text_embeddings(clip, frame["text"].astype(str).tolist(), cache_dir=cache_dir)
    alignment = np.einsum("ij,ij->i", X, T)
    tables.mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)
    per_group = {col: image_diversity(frame, X, col).drop(index="(all)") for col in groups}
    for col, table in per_group.items():
        table.to_csv(tables / f"image_diversity_by_{col}.csv")
    near = semantic_near_duplicates(paths, X, threshold=near_threshold, cache_dir=arrays_dir, knn_method=knn,
                                    approximate_above=knn_threshold)
    near.pairs.rename(columns={"text_i": "path_i", "text_j": "path_j"}).to_csv(
        tables / "image_embedding_duplicates.csv", index=False)
    by = "subtask" if "subtask" in frame.columns else (groups[0] if groups else None)
    if by is not None:
        alignment_by(frame, alignment, by).to_csv(tables / f"image_text_alignment_by_{by}.csv")
        _alignment_figure(frame, alignment, by, figures / f"image_text_alignment_by_{by}.png")
    method = _projection_figures(frame, X, groups, figures, arrays_dir, skipped) if umap else None
    return {"images_embedded": len(frame), "image_model": clip.name, "image_vendi": vendi_score(X),
            "image_mean_pairwise_cosine_distance": mean_pairwise_cosine_distance(X),
            "image_embedding_near_duplicate_pairs": len(near.pairs), "image_near_threshold": near_threshold,
            "image_text_alignment_mean": float(alignment.mean()), "image_projection": method,
            "image_groups": {col: {str(g): {k: t.at[g, k] for k in t.columns} for g in t.index}
                             for col, t in per_group.items()}}
