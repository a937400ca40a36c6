"""Bias, as far as words and pools can show it: who is named (gender, age, skin tone and
ethnicity terms), with which occupations, and how evenly objects, colours, styles and scenes
are drawn from their pools. Image statistics live in ``images.py``.

Lexicon counts are a proxy (DALL-Eval, arXiv 2202.04053; Stable Bias, arXiv 2303.11408): a
prompt that names no gender leaves the choice to the image model, which is where most skew
appears, so read them with the image side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pandas as pd

from .distribution import flat_values, skew
from .lexicon import load_lexicon, find_terms

__all__ = ["DEMOGRAPHIC_LEXICONS", "ATTRIBUTE_COLUMNS", "ATTRIBUTE_POOLS", "BiasReport", "term_matches", "bias_report",
           "attribute_skew", "taxonomy_pools"]

DEMOGRAPHIC_LEXICONS = ("gender", "age", "ethnicity")
# Spec-derived columns (see io.spec_attributes) whose use is compared with their pools.
ATTRIBUTE_COLUMNS = ("objects", "colours", "style", "scene")
# the project's pool each attribute column is drawn from
ATTRIBUTE_POOLS = {"objects": "objects", "colours": "colours", "style": "styles", "scene": "scenes"}


def taxonomy_pools(path=None) -> dict[str, list[str]]:
    """{attribute column: every value of the pool the planner draws it from}, named as specs
    name them, from ``definition.pools.load_pools(path)``. A spec may name an item by id or by
    name, so both forms are listed (``attribute_skew`` counts an item once either way)."""
    from ..definition.pools import load_pools

    pools = load_pools(path)
    out = {}
    for column, pool in ATTRIBUTE_POOLS.items():
        if pool in pools:
            out[column] = [(item.id, item.name) for item in pools[pool]]
    return out


def _canonical(pool) -> tuple[list[str], dict[str, str]]:
    """A pool as its values, plus {other spelling: value} when it lists (id, name) pairs."""
    values, alias = [], {}
    for entry in pool:
        if isinstance(entry, tuple):
            ident, name = map(str, entry)
            values.append(ident)
            alias[name] = alias[name.lower()] = ident
        else:
            values.append(str(entry))
    return values, alias


def term_matches(texts: Iterable[str]) -> pd.DataFrame:
    """One row per lexicon match: row (prompt number), lexicon, group, term."""
    lexicons = [(name, load_lexicon(name)) for name in (*DEMOGRAPHIC_LEXICONS, "occupations")]
    rows = []
    for r, text in enumerate(texts):
        for name, lex in lexicons:
            for group, term in find_terms(str(text), lex, plurals=name == "occupations"):
                rows.append((r, name, group, term))
    return pd.DataFrame(rows, columns=["row", "lexicon", "group", "term"])


def attribute_skew(df: pd.DataFrame, pools: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Per attribute column (objects, colours, style, scene): skew of use against uniform use of
    its pool (``pools[column]`` when given: values, or (id, name) pairs as ``taxonomy_pools``
    gives; else of the values seen, and the ``against`` column says so). See ``distribution.skew``."""
    rows = []
    for col in ATTRIBUTE_COLUMNS:
        if col not in df.columns:
            continue
        pool = (pools or {}).get(col)
        values, alias = _canonical(pool) if pool is not None else (None, {})
        used = [alias.get(v, v) for cell in df[col] for v in flat_values(cell)]
        counts = pd.Series(used, dtype=object).value_counts()
        if counts.empty:
            continue
        pool = values
        top = counts.index[0]
        rows.append({"attribute": col, **skew(counts, pool), "most_used": top, "most_used_count": int(counts.iloc[0]),
                     "against": "pool" if pool is not None else "values seen"})
    return pd.DataFrame(rows).set_index("attribute") if rows else pd.DataFrame()


@dataclass
class BiasReport:
    """``counts``: prompts and mentions per lexicon group; ``cooccurrence``: prompts naming
    an occupation together with each demographic group; ``attributes``: pool skew;
    ``matches``: every match, for inspection."""

    counts: pd.DataFrame
    cooccurrence: pd.DataFrame
    attributes: pd.DataFrame
    matches: pd.DataFrame = field(repr=False)


def bias_report(df: pd.DataFrame, *, pools: Mapping[str, Iterable[str]] | None = None,
                column: str = "text") -> BiasReport:
    """Lexicon counts, occupation co-occurrence and attribute skew of ``df``."""
    matches = term_matches(df[column].astype(str))
    n = max(len(df), 1)
    counts = (matches.groupby(["lexicon", "group"])
              .agg(prompts=("row", "nunique"), mentions=("row", "size")).reset_index())
    counts["share_of_prompts"] = counts["prompts"] / n
    occupations = matches[matches["lexicon"] == "occupations"][["row", "term"]].drop_duplicates()
    demographics = matches[matches["lexicon"].isin(DEMOGRAPHIC_LEXICONS)][["row", "lexicon", "group"]].drop_duplicates()
    both = occupations.merge(demographics, on="row")
    cooc = (both.groupby(["term", "lexicon", "group"]).agg(prompts=("row", "nunique")).reset_index()
            .rename(columns={"term": "occupation"}))
    return BiasReport(counts, cooc, attribute_skew(df, pools), matches)
