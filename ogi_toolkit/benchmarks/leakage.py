"""Leakage: which dataset texts are benchmark prompts, or near copies of them.

    matches = leakage("plan.jsonl", against="geneval,parti")
    leak_counts(matches)                  # items with a match, per benchmark and kind
    leak_counts(matches, by="subtask")    # ... per subtask, with the share of its items
    closest_pairs(matches)                # the most similar pairs, side by side

Every text of an item is checked (the instruction, and each turn or sub-instruction of a
multi-turn or complex edit). A (text, prompt) pair is listed once, under the strongest kind
that found it: exact, then lexical, then semantic.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .config import Thresholds, load_thresholds
from .items import dataset_texts
from .matching import exact_matches, lexical_matches, semantic_matches
from .sets import load_benchmarks

__all__ = ["KINDS", "MATCH_TABLE_COLUMNS", "LeakFinder", "leakage", "leak_counts", "strongest_matches", "closest_pairs", "embed_texts"]

KINDS = ("exact", "lexical", "semantic")
MATCH_TABLE_COLUMNS = ("id", "turn", "subtask", "text", "benchmark", "bench_row", "benchmark_prompt", "category",
                       "kind", "similarity")


# Texts are embedded this many at a time: each chunk enters the on-disk cache when done, so an
# interrupted first run of a large dataset keeps what it embedded.
EMBED_CHUNK = 20_000


def embed_texts(texts: list[str], *, model: str | None = None, backend: str = "torch",
                cache_dir: str | Path | None = None) -> np.ndarray:
    """Unit embeddings of ``texts`` through the analysis' cached embedder."""
    from ..analysis.embed import get_embedder

    if not texts:
        return np.zeros((0, 384), np.float32)
    embedder = get_embedder(model, backend=backend, cache_dir=cache_dir)
    return np.concatenate([embedder.encode(texts[start:start + EMBED_CHUNK])
                           for start in range(0, len(texts), EMBED_CHUNK)])


def _kinds(kinds: str | Iterable[str]) -> tuple[str, ...]:
    names = [k.strip() for k in (kinds.split(",") if isinstance(kinds, str) else kinds) if k.strip()]
    unknown = [k for k in names if k not in KINDS]
    if unknown or not names:
        raise ValueError(f"kinds: {', '.join(unknown) or 'nothing'}: expected some of {', '.join(KINDS)}")
    return tuple(k for k in KINDS if k in names)


class LeakFinder:
    """The benchmark prompts of ``against``, loaded (and embedded) once, and the matching of
    texts against them. ``finder(specs)`` gives the positions of the specs that leak: what
    ``planning.plan(..., avoid=finder)`` redraws."""

    def __init__(self, against: str | Iterable[str] = "all", *, label_column: str | None = None,
                 bench_text_column: str | None = None, kinds: str | Iterable[str] = KINDS,
                 thresholds: str | Path | Mapping | Thresholds | None = None, model: str | None = None,
                 backend: str = "torch", cache_dir: str | Path | None = None):
        from ..analysis.cache import default_cache_dir

        self.kinds = _kinds(kinds)
        self.thresholds = load_thresholds(thresholds)
        self.prompts = load_benchmarks(against, text_column=bench_text_column, label_column=label_column)
        root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.embedding = {"model": model, "backend": backend,
                          "cache_dir": root / "embeddings" if cache_dir is not None else None}
        self.arrays_dir = root / "arrays"
        self._prompt_vectors: np.ndarray | None = None

    @property
    def prompt_vectors(self) -> np.ndarray:
        if self._prompt_vectors is None:
            self._prompt_vectors = embed_texts(self.prompts["text"].tolist(), **self.embedding)
        return self._prompt_vectors

    def pairs(self, texts: list[str]) -> pd.DataFrame:
        """(row of ``texts``, row of the prompts, similarity, kind) of every pair found, each
        pair once under its strongest kind."""
        found = []
        bench_texts = self.prompts["text"].tolist()
        if "exact" in self.kinds:
            found.append(exact_matches(texts, bench_texts).assign(kind="exact"))
        if "lexical" in self.kinds:
            lex = self.thresholds.lexical
            found.append(lexical_matches(texts, bench_texts, threshold=lex.threshold, shingle=lex.shingle)
                         .assign(kind="lexical"))
        if "semantic" in self.kinds:
            sem = self.thresholds.semantic
            found.append(semantic_matches(embed_texts(texts, **self.embedding), self.prompt_vectors,
                                          threshold=sem.threshold, k=sem.k, method=sem.method,
                                          cache_dir=self.arrays_dir).assign(kind="semantic"))
        pairs = pd.concat(found, ignore_index=True)
        pairs["kind"] = pd.Categorical(pairs["kind"], categories=KINDS, ordered=True)
        pairs = pairs.sort_values(["kind", "similarity"], ascending=[True, False], kind="stable")
        pairs["kind"] = pairs["kind"].astype(str)
        return pairs.drop_duplicates(["row", "bench"]).reset_index(drop=True)  # a pair under its strongest kind

    def __call__(self, specs: list[Mapping[str, Any]]) -> list[int]:
        """Positions in ``specs`` of the items any of whose texts matches a prompt."""
        items = dataset_texts([{**spec, "id": str(pos)} for pos, spec in enumerate(specs)])
        rows = self.pairs(items["text"].tolist())["row"].to_numpy()
        return sorted({int(i) for i in items["id"].to_numpy()[rows]})


def leakage(data, against: str | Iterable[str] = "all", *, text_column: str | None = None,
            label_column: str | None = None, bench_text_column: str | None = None,
            kinds: str | Iterable[str] = KINDS, thresholds: str | Path | Mapping | Thresholds | None = None,
            model: str | None = None, backend: str = "torch", cache_dir: str | Path | None = None) -> pd.DataFrame:
    """The matches of ``data``'s texts against the benchmark sets ``against``, one row per pair
    (columns ``MATCH_TABLE_COLUMNS``), most similar first within each kind.

    ``data``: a plan, a dataset folder, a prompt file (``text_column``), a DataFrame or specs.
    ``against``: known set names, ``NAME=PATH`` or prompt files (``bench_text_column``,
    ``label_column``), comma-separated or a list; ``"all"``: every known set that is present.
    ``thresholds``: a YAML file or dict over the defaults (``leakage.yaml``).
    ``cache_dir``: where embeddings (``embeddings/``) and neighbour arrays (``arrays/``) are
    cached (default: the analysis' cache).

    ``attrs``: ``items`` and ``texts`` checked, ``items_per_subtask``, ``prompts_per_benchmark``,
    ``thresholds`` and ``kinds``, which :func:`leak_counts` reads.
    """
    finder = LeakFinder(against, label_column=label_column, bench_text_column=bench_text_column, kinds=kinds,
                        thresholds=thresholds, model=model, backend=backend, cache_dir=cache_dir)
    items = dataset_texts(data, text_column=text_column)
    pairs = finder.pairs(items["text"].tolist())
    text_part = items.iloc[pairs["row"].to_numpy()][["id", "turn", "subtask", "text"]].reset_index(drop=True)
    bench_part = finder.prompts.iloc[pairs["bench"].to_numpy()][["benchmark", "bench_row", "text", "category"]]
    bench_part = bench_part.rename(columns={"text": "benchmark_prompt"}).reset_index(drop=True)
    table = pd.concat([text_part, bench_part, pairs[["kind", "similarity"]]], axis=1)[list(MATCH_TABLE_COLUMNS)]
    first = items.drop_duplicates("id")
    table.attrs = {
        "items": int(items["id"].nunique()), "texts": len(items),
        "items_per_subtask": first["subtask"].fillna("(none)").value_counts().to_dict(),
        "prompts_per_benchmark": finder.prompts["benchmark"].value_counts().to_dict(),
        "thresholds": finder.thresholds.model_dump(), "kinds": list(finder.kinds),
    }
    return table


def leak_counts(matches: pd.DataFrame, by: str = "benchmark") -> pd.DataFrame:
    """Items with at least one match, per ``by`` (``"benchmark"`` or ``"subtask"``) and kind
    (an item counts once per kind, under its strongest pair), with ``any`` and, per subtask,
    the share of its items (``attrs["items_per_subtask"]`` of :func:`leakage`)."""
    if by not in ("benchmark", "subtask"):
        raise ValueError(f"by: expected 'benchmark' or 'subtask', got {by!r}")
    kinds = matches.attrs.get("kinds", list(KINDS))
    frame = matches.assign(subtask=matches["subtask"].fillna("(none)"))
    per_kind = frame.groupby([by, "kind"])["id"].nunique().unstack("kind").reindex(columns=kinds).fillna(0)
    out = per_kind.astype(int)
    out["any"] = frame.groupby(by)["id"].nunique()
    if by == "benchmark":
        totals = matches.attrs.get("prompts_per_benchmark", {})
        out["benchmark_prompts_matched"] = frame.groupby(by)["bench_row"].nunique()
        out = out.reindex(sorted(set(out.index) | set(totals))).fillna(0).astype(int)
        out["benchmark_prompts"] = [totals.get(b, 0) for b in out.index]
    else:
        totals = matches.attrs.get("items_per_subtask", {})
        out["items"] = [totals.get(s, 0) for s in out.index]
        out["share"] = out["any"] / out["items"].replace(0, np.nan)
    return out.sort_values("any", ascending=False, kind="stable").reset_index()


def strongest_matches(matches: pd.DataFrame) -> pd.DataFrame:
    """Each matched item once, with its strongest match: exact before lexical before semantic,
    then the most similar."""
    rank = matches["kind"].map({k: i for i, k in enumerate(KINDS)})
    ordered = matches.assign(_rank=rank).sort_values(["_rank", "similarity"], ascending=[True, False], kind="stable")
    return ordered.drop_duplicates("id").drop(columns="_rank").reset_index(drop=True)


def closest_pairs(matches: pd.DataFrame, n: int = 10, *, per: str | None = "benchmark") -> pd.DataFrame:
    """The ``n`` most similar pairs (per benchmark, or overall with ``per=None``) that are not
    exact copies (those are listed by kind already): text and benchmark prompt side by side."""
    near = matches[matches["kind"] != "exact"].sort_values("similarity", ascending=False, kind="stable")
    near = near.drop_duplicates(["id", "benchmark"])
    picked = near.groupby(per, sort=True).head(n) if per else near.head(n)
    return picked[["benchmark", "kind", "similarity", "text", "benchmark_prompt", "id", "turn"]].reset_index(drop=True)
