# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · Calibrate difficulty and rate
# The paper's data sits in a *sweet spot*: hard for open models, solvable by the strongest.
# `calibrate` finds it: it plans a few items per (subtask, difficulty grade), generates them
# with a strong and a weak configuration, runs the offline checks on both and counts, per cell,
# how often the strong one passes while the weak one fails.
#
# Offline, the strong side is the **sketch** renderer and the weak side **sketch-ablated**: the
# same renderer with known gaps (at most two objects drawn, only Latin text, relations and
# counts above three ignored). It is a baseline, not a model; the cells it should land in the
# sweet spot are exactly those that need what it lacks. With a key, pass
# `"openai:gpt-image-1"` and `"openai:gpt-image-1-mini"` (or a weak model behind another
# OpenAI-compatible server: `weak_base_url=...`) and `judge_model=...` to judge both sides too.

# %%
import os
import tempfile
from pathlib import Path

from IPython.display import Image

from ogi_toolkit import plan
from ogi_toolkit.calibration import calibrate
from ogi_toolkit.planning import summary

OUT = Path(os.environ.get("OGI_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="ogi-calibrate-"))
SUBTASKS = ["artistic_traditions", "textual_accuracy", "multilingual_support", "containment", "object_counting"]

result = calibrate("sketch", "sketch-ablated", out=OUT / "calib", per_cell=2, seed=0, subtasks=SUBTASKS,
                   size="512x512")
result.frame()[["subtask", "difficulty", "n", "strong_pass", "weak_pass", "sweet_spot", "in_sweet_spot"]]

# %% [markdown]
# The heatmap: colour and number are the sweet-spot share; each cell also shows both pass rates
# and n. Outlined cells are in the sweet spot (share ≥ 0.5). Run the cell above again: it
# resumes, nothing is drawn or paid twice.

# %%
Image(filename=str(result.heatmap))

# %% [markdown]
# Plan with the calibration: each calibrated subtask's difficulty mix moves toward its
# sweet-spot cells (`calibration_strength=1`: all the way; `calibration_quotas=True` also moves
# quotas), the total stays, and every shaped spec records it in `spec.calibration`.

# %%
before = summary(plan(total=600, subtasks=SUBTASKS, seed=0))
after = summary(plan(total=600, subtasks=SUBTASKS, seed=0, calibration=result.path))
before.merge(after, on="subtask", suffixes=("", "_calibrated"))[
    ["subtask", "count", "grade_1", "grade_1_calibrated", "grade_2", "grade_2_calibrated", "grade_3", "grade_3_calibrated"]]

# %%
plan(total=600, subtasks=SUBTASKS, seed=0, calibration=result.path)[-1].calibration

# %% [markdown]
# ## Rate and agree
