"""``analyse``: every analysis on one set of prompts, written as figures, tables, a short
report and ``summary.json``. The CLI (``ogi analyse``) is a thin face over this function."""
from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from ..atomic_io import atomic_write_text
from . import bias, distribution, repetition
from .diversity import diversity, diversity_metrics
from .cache import default_cache_dir
from .embed import DEFAULT_MODEL, embed_to_memmap
from .engine import map_batches
from .io import load_prompts
from .knn import APPROXIMATE_ABOVE
from .project import FIT_SAMPLE

__all__ = ["analyse", "HEADLINE_KEYS"]

HEADLINE_KEYS = ("n", "vendi", "distinct_2", "mean_pairwise_cosine_distance", "exact_duplicates", "near_duplicate_pairs")
# Labels per-group metrics and UMAP colours are computed for (template_id has too many groups:
# its counts and skeletons are reported instead).
GROUP_LABELS = ("kind", "domain", "subtask", "difficulty")
MAX_UMAP_FIGURES = 3
MAX_PNG_POINTS = 200_000  # more points only overdraw each other and cost seconds per figure


class _Timer(dict):
    def __call__(self, name: str):
        timer = self

        class _Span:
            def __enter__(self):
                self.t = time.perf_counter()

            def __exit__(self, *exc):
                timer[name] = round(time.perf_counter() - self.t, 2)
        return _Span()


def _csv(table: pd.DataFrame, path: Path, index: bool = True) -> None:
    atomic_write_text(path, table.to_csv(index=index))


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _group_counts(codes: np.ndarray, first_of_text: np.ndarray, pairs: pd.DataFrame, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group: items repeating an earlier item of the group, and near pairs inside it."""
    exact = np.zeros(n_groups, int)
    frame = pd.DataFrame({"g": codes, "t": first_of_text})
    dup = frame.duplicated()
    np.add.at(exact, codes[dup.to_numpy()], 1)
    near = np.zeros(n_groups, int)
    if len(pairs):
        gi, gj = codes[pairs["i"].to_numpy()], codes[pairs["j"].to_numpy()]
        np.add.at(near, gi[gi == gj], 1)
    return exact, near


def analyse(source: str | Path | pd.DataFrame, out: str | Path, *, text_column: str | None = None,
            label_columns: Iterable[str] = (), model: str | None = None, backend: str = "torch",
            umap: bool = True, sample: int | None = None, seed: int = 0,
            pools: Mapping[str, Iterable[str]] | None = None, targets: Mapping[str, Mapping[Any, float]] | None = None,
            near_threshold: float = 0.9, lexical_threshold: float = 0.8, images: bool = True,
            cache_dir: str | Path | None = None, knn: str = "auto", knn_threshold: int = APPROXIMATE_ABOVE,
            umap_sample: int = FIT_SAMPLE, umap_placement: str = "transform", engine: str = "local",
            address: str | None = None) -> dict:
    """Analyse a plan, dataset folder, prompt file or DataFrame; write the report under ``out``.

    ``pools``: {pool name: values}; every value's use goes to ``tables/pool_usage.csv``, and the
    pools named ``objects``, ``colours``, ``style``, ``scene`` are the baselines of the attribute
    skew. ``targets``: {label column: {value: target count}}. Returns the summary also written to
    ``out/summary.json``.

    Scale: ``knn`` (exact, approximate, auto: approximate past ``knn_threshold`` distinct texts
    on CPU) is the neighbour search of near-duplicates and UMAP; past ``umap_sample`` distinct
    texts UMAP is fitted on a stratified sample and the rest placed by ``umap_placement``;
    ``engine="ray"`` runs embedding and image statistics/hashes on Ray (``address``: a cluster).
    """
    out = Path(out)
    timings = _Timer()
    label_columns = list(label_columns)
    with timings("load"):
        df = source.copy() if isinstance(source, pd.DataFrame) else \
            load_prompts(source, text_column=text_column, label_columns=label_columns)
        if "text" not in df.columns:
            raise KeyError(f"the DataFrame needs a 'text' column; it has {list(df.columns)}")
        if sample is not None and sample < len(df):
            df = df.sample(sample, random_state=seed).reset_index(drop=True)
        df = df.reset_index(drop=True)
    if df.empty:
        raise ValueError(f"{source}: no prompts to analyse")
    cache_root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    arrays_dir = cache_root / "arrays"
    tables, figures = out / "tables", out / "figures"
    texts = df["text"].astype(str).tolist()
    groups = [c for c in dict.fromkeys([*label_columns, *GROUP_LABELS]) if c in df.columns and df[c].nunique() > 1]

    with timings("embed"):
        # Each distinct text once, into a memory-mapped file the later stages read from.
        first, codes = repetition.unique_texts(texts)
        distinct = [texts[i] for i in first]
        vectors = embed_to_memmap(distinct, arrays_dir / f"embeddings-{_texts_key(distinct, model, backend)}.npy",
                                  engine=engine, address=address, model=model, backend=backend,
                                  cache_dir=cache_root / "embeddings")
        X = vectors[codes] if len(first) < len(texts) else vectors

    with timings("distribution"):
        for col in dict.fromkeys([*groups, "template_id"]):
            if col in df.columns and df[col].notna().any():
                _csv(distribution.label_counts(df, col, (targets or {}).get(col)), tables / f"counts_{col}.csv")
        if groups:
            _csv(distribution.distribution_summary(df, groups), tables / "distribution_summary.csv")
        slot_counts = distribution.slot_value_counts(df) if "slots" in df.columns else pd.DataFrame()
        if not slot_counts.empty:
            _csv(slot_counts, tables / "slot_values.csv", index=False)
        if pools:
            # Slot values are what the planner drew; spec attributes stand in when there are no slots
            # (counting both would count each drawn value twice).
            used = list(slot_counts["value"].repeat(slot_counts["count"])) if not slot_counts.empty else [
                v for col in bias.ATTRIBUTE_COLUMNS if col in df.columns for cell in df[col] for v in distribution.flat_values(cell)]
            usage = distribution.pool_usage(used, pools)
            _csv(usage, tables / "pool_usage.csv", index=False)

    with timings("diversity"):
        overall = diversity_metrics(texts, X)
        per_group = {col: diversity(df, col, embeddings=X).drop(index="(all)") for col in groups}
        for col, table in per_group.items():
            _csv(table, tables / f"diversity_by_{col}.csv")

    with timings("exact_duplicates"):
        exact = repetition.exact_duplicates(df)
        _csv(exact, tables / "exact_duplicates.csv", index=False)
    with timings("near_duplicates"):
        near = repetition.semantic_near_duplicates(texts, X, threshold=near_threshold, cache_dir=arrays_dir,
                                                   knn_method=knn, approximate_above=knn_threshold)
        _csv(near.pairs, tables / "near_duplicate_pairs.csv", index=False)
        _csv(near.clusters, tables / "near_duplicate_clusters.csv", index=False)
    with timings("lexical_duplicates"):
        lexical = repetition.lexical_near_duplicates(texts, threshold=lexical_threshold)
        _csv(lexical.pairs, tables / "lexical_duplicate_pairs.csv", index=False)
    with timings("skeletons_ngrams"):
        skel = repetition.skeletons(df)
        _csv(skel, tables / "skeletons.csv", index=False)
        _csv(repetition.repeated_ngrams(texts), tables / "repeated_ngrams.csv", index=False)

    with timings("bias"):
        report = bias.bias_report(df, pools=pools)
        _csv(report.counts, tables / "bias_counts.csv", index=False)
        _csv(report.cooccurrence, tables / "bias_occupation_cooccurrence.csv", index=False)
        if not report.attributes.empty:
            _csv(report.attributes, tables / "attribute_skew.csv")

    with timings("quality"):  # pass rates of `ogi check` / `ogi judge`, when they ran
        from .quality import QUALITY_GROUPS, pass_rates_by

        for col in (c for c in QUALITY_GROUPS if c in df.columns):
            rates = pass_rates_by(df, col)
            if not rates.empty:
                _csv(rates, tables / f"quality_by_{col}.csv")

    image_summary = {}
    if images and "image_path" in df.columns:
        paths = [p for p in df["image_path"].dropna() if Path(p).exists()]
        if paths:
            from .images import image_near_duplicates, image_stats

            from .images import perceptual_hashes

            with timings("images"):
                stats = map_batches(image_stats, paths, engine=engine, address=address, batch_size=256)
                _csv(stats, tables / "image_stats.csv", index=False)
                hashes = map_batches(perceptual_hashes, paths, engine=engine, address=address, batch_size=256)
                dups = image_near_duplicates(paths, hashes=hashes)
                _csv(dups, tables / "image_near_duplicates.csv", index=False)
                image_summary = {"images": len(paths), "image_near_duplicate_pairs": len(dups),
                                 "mean_brightness": stats.get("brightness", pd.Series(dtype=float)).mean(),
                                 "mean_colourfulness": stats.get("colourfulness", pd.Series(dtype=float)).mean()}

    first_of_text = repetition.unique_texts(texts)[1]
    summary: dict[str, Any] = {
        "n": len(df), **{k: v for k, v in overall.items() if k != "n"},
        "exact_duplicates": int(len(df) - len(np.unique(first_of_text))),
        "near_duplicate_pairs": len(near.pairs), "near_duplicate_clusters": len(near.clusters),
        "near_duplicate_method": near.method, "near_duplicate_threshold": near_threshold, "knn_k": near.k,
        "knn_method": near.method, **({"knn_recall_at_10": near.extra["knn_recall_at_10"]} if near.method == "approximate" else {}),
        "engine": engine,
        "lexical_near_duplicate_pairs": len(lexical.pairs), "lexical_threshold": lexical_threshold,
        "skeleton_repetition": 1.0 - len(skel) / len(df), "skeleton_source": skel.attrs.get("source"),
        **image_summary, "model": model or DEFAULT_MODEL, "backend": backend,
        "source": str(source) if not isinstance(source, pd.DataFrame) else "DataFrame", "groups": {},
    }
    for col, table in per_group.items():
        codes, values = pd.factorize(df[col], sort=True)
        exact_g, near_g = _group_counts(codes, first_of_text, near.pairs, len(values))
        summary["groups"][col] = {
            str(value): {**table.loc[value].to_dict(), "exact_duplicates": int(exact_g[c]), "near_duplicate_pairs": int(near_g[c])}
            for c, value in enumerate(values)}

    umap_options = {"knn_method": knn, "approximate_above": knn_threshold, "fit_sample": umap_sample, "placement": umap_placement}
    if umap:
        summary["umap_fit"] = _umap_fit(len(first), umap_sample, umap_placement)
    with timings("figures"):
        _write_figures(df, X, groups, tables, figures, umap, arrays_dir, timings, umap_options)
    summary["timings_s"] = dict(timings)
    summary = _clean(summary)
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False))
    from .markdown import report_markdown

    atomic_write_text(out / "report.md", report_markdown(summary, out))
    return summary


def _texts_key(texts: list[str], model: str | None, backend: str) -> str:
    import hashlib

    h = hashlib.sha1(f"{model or DEFAULT_MODEL}|{backend}|{len(texts)}".encode())
    for text in texts:
        h.update(text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def _umap_fit(n_distinct: int, umap_sample: int, placement: str) -> str:
    """How the projection was made, in words for the report."""
    if n_distinct <= umap_sample:
        return f"fitted on all {n_distinct} distinct prompts"
    rest = "the rest placed with UMAP.transform" if placement == "transform" else "only the sample plotted"
    return f"fitted on a stratified sample of {umap_sample} of {n_distinct} distinct prompts, {rest}"


def _write_figures(df, X, groups, tables, figures, umap, arrays_dir, timings, umap_options) -> None:
    # Figure objects, not pyplot: no global state, and a notebook's backend is left alone.
    from matplotlib.figure import Figure

    from .plots import plot_counts, plot_umap, umap_html

    figures.mkdir(parents=True, exist_ok=True)
    for col in groups:
        counts = pd.read_csv(tables / f"counts_{col}.csv", index_col=0)
        fig = Figure(figsize=(7, 0.25 * min(len(counts), 40) + 1.2))
        ax = plot_counts(counts, ax=fig.subplots())
        ax.set_title(f"prompts per {col}")
        fig.savefig(figures / f"counts_{col}.png", dpi=120, bbox_inches="tight")
    if not umap:
        return
    from .project import project

    with timings("umap"):
        projected = project(df, embeddings=X, cache_dir=arrays_dir, stratify=groups[0] if groups else None, **umap_options)
    # The legends give each label's count in the whole set, also where only a sample is drawn
    # (a sample-only projection, or the interactive page's point limit).
    for col in groups:
        named = {value: f"{value} ({count:,})" for value, count in df[col].value_counts().items()}
        projected[col] = df[col].map(named).where(df[col].notna(), df[col])
    projected = projected.dropna(subset=["x", "y"])
    drawn = projected.sample(MAX_PNG_POINTS, random_state=0) if len(projected) > MAX_PNG_POINTS else projected
    for col in (groups[:MAX_UMAP_FIGURES] or [None]):
        fig = Figure(figsize=(7, 6))
        ax = plot_umap(data=drawn, hue=col, ax=fig.subplots())
        ax.set_title(f"UMAP of prompt embeddings{f', by {col}' if col else ''}")
        fig.savefig(figures / f"umap{f'_{col}' if col else ''}.png", dpi=120, bbox_inches="tight")
    try:
        umap_html(projected, figures / "umap.html", hue=groups[0] if groups else None, hover=tuple(groups))
    except ImportError as exc:  # plotly is a core dependency; a stripped environment still gets the PNGs
        print(f"ogi analyse: no interactive UMAP page ({exc}); pip install plotly")
    _csv(projected[["x", "y"]], tables / "umap_coordinates.csv")
