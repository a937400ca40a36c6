"""``analyse``: every analysis on one set of prompts, written as figures, tables, a short
report and ``summary.json``. The CLI (``ogi analyse``) is a thin face over this function."""
from __future__ import annotations

import json
import math
import os
import sys
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
from .linked import gallery_href, judge_score_class
from .topics import write_cluster_tables
from .project import FIT_SAMPLE

__all__ = ["analyse", "HEADLINE_KEYS"]

HEADLINE_KEYS = ("n", "vendi", "distinct_2", "mean_pairwise_cosine_distance", "exact_duplicates", "near_duplicate_pairs")
# Labels per-group metrics and UMAP colours are computed for (template_id has too many groups:
# its counts and skeletons are reported instead).
GROUP_LABELS = ("kind", "domain", "subtask", "difficulty")
MAX_UMAP_FIGURES = 3
MAX_PNG_POINTS = 200_000  # more points only overdraw each other and cost seconds per figure


# The stages of ``analyse`` in order: the progress bar counts them (stages that do not apply,
# such as images of a prompt file, are counted as skipped at the end).
STAGES = ("load", "embed", "distribution", "diversity", "exact_duplicates", "near_duplicates", "lexical_duplicates",
          "skeletons_ngrams", "bias", "quality", "images", "clusters", "figures")


class _Timer(dict):
    """Seconds per named stage; with ``progress`` the stages are shown on ``stream`` (stderr by
    default) so a long run shows where it is: on a terminal a tqdm bar naming the stage running,
    elsewhere (a pipe, a log, a notebook's stderr) one plain line as each stage ends, so logs hold
    no carriage-return noise and an error is still the first line of a failed run.
    Names outside ``STAGES`` (sub-steps) only show beside the bar."""

    def __init__(self, progress: bool = False, stream=None):
        super().__init__()
        self.bar = None
        self.lines = None
        self.done = 0
        stream = stream or sys.stderr
        if progress and stream.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=len(STAGES), unit="stage", desc="analyse", file=stream)
        elif progress:
            self.lines = stream

    def __call__(self, name: str):
        timer = self

        class _Span:
            def __enter__(self):
                if timer.bar is not None:
                    timer.bar.set_postfix_str(name + " ...")
                self.t = time.perf_counter()

            def __exit__(self, kind, *exc):
                timer[name] = round(time.perf_counter() - self.t, 2)
                if name in STAGES and kind is None:
                    timer.stage_done(name)
        return _Span()

    def stage_done(self, name: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.lines is not None:
            print(f"analyse [{self.done}/{len(STAGES)}] {name} {self[name]:.1f} s", file=self.lines, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.total - self.bar.n)  # stages that did not apply
            self.bar.set_postfix_str("done")
            self.bar.close()
        elif self.lines is not None:
            print(f"analyse [{len(STAGES)}/{len(STAGES)}] done", file=self.lines, flush=True)


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


def _check_model(model: str | None) -> None:
    """A named model is a folder, the packaged default, or (offline) in the Hugging Face cache;
    checked before anything is loaded, so a typo costs one line, not a model load and a traceback."""
    from .embed import _PACKAGED_NAMES

    if model is None or model in _PACKAGED_NAMES or Path(model).expanduser().is_dir():
        return
    if os.environ.get("HF_HUB_OFFLINE", "").lower() not in ("1", "true", "yes"):
        return  # online: the hub may have it, and says so if not
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = try_to_load_from_cache(model, "config.json")
    except ValueError:  # not a valid repository id either (HFValidationError is a ValueError)
        cached = None
    if not isinstance(cached, str):
        raise ValueError(f"model {model!r}: no such folder, and not in the Hugging Face cache (HF_HUB_OFFLINE=1: "
                         f"nothing is downloaded); pass a local model folder, or leave --model out for the packaged default")


def analyse(source: str | Path | pd.DataFrame, out: str | Path, *, text_column: str | None = None,
            label_columns: Iterable[str] = (), model: str | None = None, backend: str = "torch",
            umap: bool = True, sample: int | None = None, seed: int = 0,
            pools: Mapping[str, Iterable[str]] | None = None, targets: Mapping[str, Mapping[Any, float]] | None = None,
            near_threshold: float = 0.9, lexical_threshold: float = 0.8, images: bool = True,
            cache_dir: str | Path | None = None, knn: str = "auto", knn_threshold: int = APPROXIMATE_ABOVE,
            umap_sample: int = FIT_SAMPLE, umap_placement: str = "transform", engine: str = "local",
            address: str | None = None, progress: bool = False, image_embeddings: bool = False,
            clip_model: str | None = None, device: str | None = None,
            against: str | Iterable[str] | None = None) -> dict:
    """Analyse a plan, dataset folder, prompt file or DataFrame; write the report under ``out``.

    ``pools``: {pool name: values}; every value's use goes to ``tables/pool_usage.csv``, and the
    pools named ``objects``, ``colours``, ``style``, ``scene`` are the baselines of the attribute
    skew. ``targets``: {label column: {value: target count}}. Returns the summary also written to
    ``out/summary.json``.

    Scale: ``knn`` (exact, approximate, auto: approximate past ``knn_threshold`` distinct texts
    on CPU) is the neighbour search of near-duplicates and UMAP; past ``umap_sample`` distinct
    texts UMAP is fitted on a stratified sample and the rest placed by ``umap_placement``;
    ``engine="ray"`` runs embedding and image statistics/hashes on Ray (``address``: a cluster).
    ``progress``: a bar on stderr naming each stage as it runs (``ogi analyse`` shows it).

    ``image_embeddings``: also embed the images with ``clip_model`` (a CLIP / SigLIP name or folder;
    default: the vision config's) on ``device``: image diversity, near-duplicates, projection and
    text-image alignment (:mod:`.image_embeddings`).
    ``against``: benchmark sets (``ogi benchmarks``) to check leakage and coverage against.
    """
    out = Path(out)
    _check_model(model)
    # models first: a bad name or a missing extra fails at once, before any stage has run
    clip = _load_clip(clip_model, device) if image_embeddings else None
    timings = _Timer(progress)
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
    skipped: list[str] = []  # what was left out or shortcut at this size, and why: said in the report
    if pools is None and any(c in df.columns for c in bias.ATTRIBUTE_COLUMNS) and "subtask" in df.columns:
        # specs of this project's taxonomy: their attributes were drawn from its pools, so those are the baseline
        pools = bias.taxonomy_pools()
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

    if clip is not None:
        from .image_embeddings import image_embedding_analysis

        with timings("image_embeddings"):
            image_summary.update(image_embedding_analysis(
                df, clip, groups=groups, tables=tables, figures=figures, arrays_dir=arrays_dir, cache_dir=cache_root,
                skipped=skipped, knn=knn, knn_threshold=knn_threshold, umap=umap))

    benchmarks = None
    if against:
        from ..benchmarks.report import write_benchmark_section

        with timings("benchmarks"):  # every turn of the items is checked: the source, not the frame, unless sampled
            benchmarks = write_benchmark_section(df if sample is not None or isinstance(source, pd.DataFrame) else source,
                                                 against, tables, figures, cache_dir=cache_dir, model=model, backend=backend)

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
            # .at keeps each column's own type: a row as a Series would make the counts floats
            str(value): {**{k: table.at[value, k] for k in table.columns}, "exact_duplicates": int(exact_g[c]), "near_duplicate_pairs": int(near_g[c])}
            for c, value in enumerate(values)}

    with timings("clusters"):  # k-means clusters named by c-TF-IDF keywords and representative prompts
        cluster_of, cluster_table = write_cluster_tables(df, texts, X, tables)
    summary["clusters"] = [{k: row[k] for k in ("name", "size", "keywords", "representatives")}
                           for row in cluster_table.to_dict("records")]

    umap_options = {"knn_method": knn, "approximate_above": knn_threshold, "fit_sample": umap_sample, "placement": umap_placement}
    with timings("figures"):
        projection = _write_figures(df, X, groups, tables, figures, umap, arrays_dir, timings,
                                    _colour_by_extras(df, cluster_of, source), skipped, umap_options,
                                    gallery=gallery_href(source, figures))
    summary["projection"] = projection
    if projection == "UMAP":
        summary["umap_fit"] = _umap_fit(len(first), umap_sample, umap_placement)
    summary["skipped"] = skipped
    if benchmarks is not None:
        summary["benchmarks"] = benchmarks
    summary["timings_s"] = dict(timings)
    summary = _clean(summary)
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, ensure_ascii=False))
    from .markdown import report_markdown

    atomic_write_text(out / "report.md", report_markdown(summary, out))
    timings.close()
    return summary


def _load_clip(name: str | None, device: str | None):
    from ..vision import load_model, load_vision_config

    return load_model("clip", name or load_vision_config().default_name("clip"), device=device)


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


def _colour_by_extras(df: pd.DataFrame, cluster_of: list[str], source: Any) -> pd.DataFrame:
    """Columns the interactive projection can also be coloured by: the named k-means cluster of
    each prompt and, for a dataset folder with ``checks.jsonl`` / ``judgments.jsonl``, each item's
    check result and judge result (passed, failed, error: the judge could not score it)."""
    extras = pd.DataFrame(index=df.index)
    if cluster_of:
        extras["cluster"] = cluster_of
    if not isinstance(source, pd.DataFrame) and Path(source).is_dir() and "id" in df.columns:
        from ..folder import read_checks, read_judgments

        checks = read_checks(source)
        if checks:
            extras["check"] = [("passed" if checks[i]["passed"] else "failed") if i in checks else "not run" for i in df["id"]]
        judgments = read_judgments(source)
        if judgments:
            extras["judge"] = [_judge_result(judgments.get(i)) for i in df["id"]]
            extras["judge score"] = [judge_score_class(judgments.get(i)) for i in df["id"]]
    return extras


def _judge_result(row: dict | None) -> str:
    if row is None:
        return "not run"
    if row.get("error"):
        return "error"
    return "passed" if row["passed"] else "failed"


def _write_figures(df, X, groups, tables, figures, umap, arrays_dir, timings, extras, skipped,
                   umap_options, gallery: str | None = None) -> str | None:
    """Counts per label and the projection figures; returns the projection method used (None: none)."""
    # Figure objects, not pyplot: no global state, and a notebook's backend is left alone.
    from matplotlib.figure import Figure

    from .plots import MAX_BARS, plot_counts, plot_umap, umap_html

    figures.mkdir(parents=True, exist_ok=True)
    for col in groups:
        counts = pd.read_csv(tables / f"counts_{col}.csv", index_col=0)
        fig = Figure(figsize=(7, 0.22 * min(len(counts), MAX_BARS) + 1.2))
        ax = plot_counts(counts, ax=fig.subplots())
        ax.set_title(f"prompts per {col} ({len(counts)} values)")
        fig.savefig(figures / f"counts_{col}.png", dpi=120, bbox_inches="tight")
    if not umap:
        return None
    from .project import projection_method

    distinct = len(set(df["text"].astype(str)))
    method = projection_method(distinct)
    if method is None:
        skipped.append(f"projection: {distinct} distinct prompt(s) make no picture; none drawn")
        return None
    if method == "PCA":
        skipped.append(f"UMAP: with {distinct} distinct prompts its neighbour graph says little and its first run "
                       f"compiles for ~30 s; the figures show a PCA projection instead")
    from .project import project

    with timings("umap" if method == "UMAP" else "projection"):
        projected = project(df, embeddings=X, cache_dir=arrays_dir, method=method,
                            stratify=groups[0] if groups else None, **umap_options)
    # The legends give each label's count in the whole set, also where only a sample is drawn
    # (a sample-only projection, or the interactive page's point limit): ``whole`` holds every row.
    whole = projected.join(extras)
    projected = whole.dropna(subset=["x", "y"])
    drawn = projected.sample(MAX_PNG_POINTS, random_state=0) if len(projected) > MAX_PNG_POINTS else projected
    for col in (groups[:MAX_UMAP_FIGURES] or [None]):
        wide = col is not None and projected[col].nunique() > 24
        fig = Figure(figsize=(9.5 if wide else 7, 6))
        ax = plot_umap(data=drawn, hue=col, ax=fig.subplots(), method=method, counts_from=whole)
        ax.set_title(f"{method} of prompt embeddings{f', by {col}' if col else ''} ({len(df)} prompts)")
        # named by the method that drew it: below MIN_FOR_UMAP prompts that is PCA
        fig.savefig(figures / f"{method.lower()}{f'_{col}' if col else ''}.png", dpi=120, bbox_inches="tight")
    umap_html(projected, figures / "umap.html", hue=groups[0] if groups else None,
              hover=tuple(dict.fromkeys([*groups, *extras.columns])),
              title=f"{method} of {len(df)} prompt embeddings", method=method, counts_from=whole, gallery=gallery)
    _csv(projected[["x", "y"]], tables / "umap_coordinates.csv")
    return method
