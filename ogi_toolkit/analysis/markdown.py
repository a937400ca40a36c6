"""The short human-readable ``report.md`` written beside ``summary.json``."""
from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd

from ..dataset.safe_files import relative_href

__all__ = ["report_markdown"]

METRIC_NOTES = {
    "n": "prompts analysed",
    "vendi": "Vendi score (effective number of distinct prompts; 1 = all alike)",
    "mean_pairwise_cosine_distance": "mean cosine distance between two prompts (0 = identical)",
    "distinct_1": "distinct unigrams / all unigrams",
    "distinct_2": "distinct bigrams / all bigrams",
    "distinct_3": "distinct trigrams / all trigrams",
    "compression_ratio": "gzip ratio (higher = more repetitive)",
    "cluster_entropy": "k-means (k=20) cluster entropy / log k (1 = even spread)",
    "exact_duplicates": "items repeating an earlier item exactly",
    "near_duplicate_pairs": "pairs of distinct prompts above the cosine threshold",
    "lexical_near_duplicate_pairs": "pairs above the word-trigram Jaccard threshold (MinHash)",
    "skeleton_repetition": "share of items whose template skeleton repeats an earlier one",
    "image_vendi": "Vendi score of the image embeddings (CLIP), beside the prompts' above",
    "image_mean_pairwise_cosine_distance": "mean cosine distance between two images' embeddings",
    "image_embedding_near_duplicate_pairs": "pairs of images above the embedding cosine threshold",
    "image_text_alignment_mean": "mean CLIP cosine of each image and its prompt",
}


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _cell(value) -> str:
    """Text from the data as a table cell: HTML escaped (a "<script>" in a label is shown, never
    run by a Markdown viewer), and no "|" to split the row."""
    return html.escape(_fmt(value), quote=False).replace("|", "/")


CELL_CHARS = 120  # longer cells end in "…"; the CSV beside the report holds the whole text


def _table(path: Path, rows: int | None = 10) -> str:
    """``path`` as a Markdown table: its first ``rows`` rows (None: all of them). A table that
    is cut says so under it, with how many rows it has and where the rest are."""
    if not path.exists():
        return ""
    whole = pd.read_csv(path)
    if whole.empty:
        return "None found.\n"
    frame = whole if rows is None else whole.head(rows)
    frame = frame.drop(columns=[c for c in ("rows",) if c in frame.columns])
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            text = frame[col].astype(str)
            cut = text.str.len() > CELL_CHARS
            text = text.where(~cut, text.str.slice(0, CELL_CHARS - 1) + "…")
            frame[col] = text.map(_cell)
    header = "| " + " | ".join(map(_cell, frame.columns)) + " |"
    lines = [header, "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    if len(frame) < len(whole):
        link = f"{path.parent.name}/{path.name}"
        lines.append(f"\nThe first {len(frame)} of {len(whole)} rows; all of them in [{link}]({link}).")
    return "\n".join(lines) + "\n"


def _scale_lines(summary: dict) -> list[str]:
    """How the neighbour search, the projection and the per-item work were done (scale choices)."""
    search = f"Neighbour search: {summary.get('knn_method')}"
    if summary.get("knn_recall_at_10") is not None:
        search += f" (NN-descent; recall@10 against exact on a random sample: {summary['knn_recall_at_10']:.3f})"
    lines = [search + f"; per-item work on engine `{summary.get('engine', 'local')}`."]
    if summary.get("umap_fit"):
        lines.append(f"UMAP {summary['umap_fit']}.")
    return [" ".join(lines) + "\n"]


def report_markdown(summary: dict, out: Path) -> str:
    tables, figures = out / "tables", out / "figures"
    parts = [f"# Prompt analysis: {summary.get('source')}\n",
             f"Model `{summary.get('model')}` ({summary.get('backend')}); near-duplicates: {summary.get('near_duplicate_method')} "
             f"kNN (k={summary.get('knn_k')}), cosine >= {summary.get('near_duplicate_threshold')}.\n",
             *_scale_lines(summary),
             "| metric | value | meaning |", "|---|---|---|"]
    parts += [f"| {k} | {_fmt(summary.get(k))} | {note} |" for k, note in METRIC_NOTES.items() if k in summary]
    for col, groups in summary.get("groups", {}).items():
        keys = ["n", "vendi", "distinct_2", "mean_pairwise_cosine_distance", "exact_duplicates", "near_duplicate_pairs"]
        images = summary.get("image_groups", {}).get(col, {})
        keys += ["image_vendi"] if images else []  # image diversity beside the prompts'
        groups = {g: {**m, **images.get(g, {})} for g, m in groups.items()}
        parts += [f"\n## By {_cell(col)}\n", "| " + _cell(col) + " | " + " | ".join(keys) + " |",
                  "|---" * (len(keys) + 1) + "|"]
        parts += [f"| {_cell(g)} | " + " | ".join(_fmt(m.get(k)) for k in keys) + " |" for g, m in groups.items()]
    # Long rankings show their top rows (and say so); the quality tables show every group, since
    # the one row left out could be the only failing one.
    for title, name, rows in [("Most repeated skeletons", "skeletons.csv", 10),
                              ("Largest near-duplicate clusters", "near_duplicate_clusters.csv", 10),
                              ("Most repeated n-grams", "repeated_ngrams.csv", 10),
                              ("Lexicon counts (gender, age, ethnicity, occupations)", "bias_counts.csv", 10),
                              ("Attribute skew against pools", "attribute_skew.csv", 10),
                              ("Check pass rates by domain (ogi check)", "quality_by_domain.csv", None),
                              ("Check pass rates by difficulty", "quality_by_difficulty.csv", None),
                              ("Text-image alignment by subtask (CLIP cosine)", "image_text_alignment_by_subtask.csv", None),
                              ("Image near-duplicates by embedding", "image_embedding_duplicates.csv", 10)]:
        table = _table(tables / name, rows)
        if table:
            parts += [f"\n## {title}\n", table]
    parts += _clusters(summary.get("clusters") or [])
    if summary.get("benchmarks"):
        from ..benchmarks.report import benchmark_markdown

        parts += benchmark_markdown(summary["benchmarks"])
    parts += _image_duplicates(tables / "image_near_duplicates.csv", out)
    images = sorted(p.name for p in figures.glob("*.png")) if figures.exists() else []
    if images:
        parts += ["\n## Figures\n"]
        if summary.get("projection"):
            parts.append(f"Projections: {summary['projection']} of the prompt embeddings.\n")
        parts += [f"![{name}](figures/{name})" for name in images]
    if (figures / "umap.html").exists():
        parts.append("\nInteractive projection (colour by any label, named cluster, check result or judge score; hover shows the prompt, "
                     "a click opens the item in the dataset's gallery.html, a shift-drag lasso saves ids for --ids): "
                     "[figures/umap.html](figures/umap.html)")
    if summary.get("skipped"):
        parts += ["\n## Skipped or shortcut at this size\n"] + [f"- {line}" for line in summary["skipped"]]
    timings = summary.get("timings_s") or {}
    if timings:
        parts += ["\n## Timings\n", "| step | seconds |", "|---|---|"]
        parts += [f"| {step} | {seconds:.2f} |" for step, seconds in timings.items()]
    return "\n".join(parts) + "\n"


def _clusters(clusters: list[dict]) -> list[str]:
    """The named clusters, every one: name, size, c-TF-IDF keywords, three representative prompts."""
    if not clusters:
        return []
    lines = ["\n## Clusters (k-means on the prompt embeddings, named by c-TF-IDF keywords)\n",
             "| cluster | prompts | keywords | representative prompts |", "|---|---|---|---|"]
    for c in clusters:
        prompts = "<br>".join(_cell(p if len(p) <= CELL_CHARS else p[:CELL_CHARS - 1] + "…") for p in c["representatives"])
        lines.append(f"| {_cell(c['name'])} | {c['size']} | {_cell(', '.join(c['keywords']))} | {prompts} |")
    return lines + [f"\nAll {len(clusters)} clusters; each prompt's cluster in tables/item_clusters.csv (when the prompts have ids)."]


def _image_duplicates(path: Path, out: Path, rows: int = 12) -> list[str]:
    """Image near-duplicate pairs with thumbnails (linked relative to the report's folder)."""
    if not path.exists():
        return []
    pairs = pd.read_csv(path)
    if pairs.empty:
        return ["\n## Image near-duplicates\n", "No two images within the perceptual-hash distance.\n"]

    def thumb(image: str) -> str:
        rel = relative_href(Path(os.path.relpath(Path(image).resolve(), out.resolve())).as_posix())
        if rel is None:  # not a file path: shown as text, never linked
            return _cell(image)
        rel = html.escape(rel, quote=True)
        return f"<a href='{rel}'><img src='{rel}' width='128'></a>"

    lines = ["\n## Image near-duplicates\n",
             f"{len(pairs)} pair(s) of images within the perceptual-hash distance"
             + (f"; the {rows} closest:" if len(pairs) > rows else ":") + "\n",
             "| image | image | pHash distance (bits of 64) |", "|---|---|---|"]
    for pair in pairs.sort_values("distance", kind="stable").head(rows).itertuples(index=False):
        lines.append(f"| {thumb(pair.path_i)} | {thumb(pair.path_j)} | {pair.distance} |")
    return lines + [""]
