# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Analyse a dataset
# Distribution, diversity, repetition, bias and UMAP for our own plan, and side by side a
# real prompt set written by people when one is at hand (PartiPrompts, read in place from
# `OGI_EXTERNAL_DATA` or `../shared/data/external/`; point `EXTERNAL` at your own download).

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ogi_toolkit import plan
from ogi_toolkit.analysis import (
    bias_report, diversity, load_prompts, near_duplicates, plot_umap, project, repeated_ngrams, skeleton_repetition, skeletons,
    specs_to_frame,
)
from ogi_toolkit.paths import EXTERNAL_DATA_DIR

ours = specs_to_frame(s.model_dump() for s in plan(total=400, seed=0))
ours[["subtask", "text"]].head()

# %%
EXTERNAL = EXTERNAL_DATA_DIR / "PartiPrompts.tsv"
theirs = load_prompts(EXTERNAL, text_column="Prompt", label_columns=["Category"]).sample(400, random_state=0) if EXTERNAL.exists() else None
print("external prompt set:", EXTERNAL if theirs is not None else "not found; showing our data only")

# %% [markdown]
# ## Diversity, overall and per domain

# %%
rows = {"ours": diversity(ours, by=None)}
if theirs is not None:
    rows["PartiPrompts"] = diversity(theirs, by=None)
pd.concat(rows)

# %%
diversity(ours, by="domain")

# %% [markdown]
# ## Repetition

# %%
dups = near_duplicates(ours)
print(dups)
dups.clusters.head()

# %%
print(f"skeleton repetition: {skeleton_repetition(ours):.3f}")
skeletons(ours).head(10)

# %%
repeated_ngrams(ours["text"].tolist(), top=10)

# %% [markdown]
# ## Bias: who appears, and how

# %%
report = bias_report(ours)
report.counts

# %%
report.cooccurrence.head(10)

# %% [markdown]
# ## UMAP of the instruction embeddings

# %%
fig, axes = plt.subplots(1, 2 if theirs is not None else 1, figsize=(14, 6), squeeze=False)
plot_umap(data=project(ours), hue="domain", ax=axes[0, 0])
axes[0, 0].set_title("ours, by domain")
if theirs is not None:
    plot_umap(data=project(theirs), hue="Category", ax=axes[0, 1])
    axes[0, 1].set_title("PartiPrompts, by category")

# %% [markdown]
# ## Benchmark leakage and coverage
# Which of our texts (every turn too) copy or nearly copy a benchmark prompt, and which benchmark
# categories the plan trains. The known sets are read in place from `EXTERNAL_DATA_DIR` (here
# GenEval and PartiPrompts); `ogi benchmarks` lists them, present or not, and how to get each.

# %%
from ogi_toolkit.benchmarks import closest_pairs, coverage, coverage_figure, leak_counts, leakage, present_sets

against = present_sets()
print("benchmark sets:", against or f"none in {EXTERNAL_DATA_DIR} (see `ogi benchmarks`)")
specs = [s.model_dump() for s in plan(total=400, seed=0)]
matches = leakage(specs, against=against) if against else None
leak_counts(matches) if against else None

# %%
closest_pairs(matches, 3) if against else None

# %%
if against:
    coverage_figure(coverage(specs, against=against))
