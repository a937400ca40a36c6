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
# The strong side's items, rated by people in a panel and judged; `agreement` then compares each
# rater with the judge and the raters with each other. Offline the judge is the local
# OpenAI-compatible server, whose answers are drawn from a hash of each request (a protocol
# fixture, not a model): the numbers show the mechanics, not a judge's quality. With
# `OPENAI_API_KEY` set, drop `base_url` to ask a real vision model.

# %%
from IPython.display import Markdown

from ogi_toolkit.quality.ratings.agreement import agreement
from ogi_toolkit.quality.judge import judge
from ogi_toolkit.server import serve_in_background
from ogi_toolkit.widgets import RatingPanel

RATED = OUT / "calib" / "strong"
server = serve_in_background()
print(judge(RATED, judge_model="gpt-4o-mini", backend_options={"base_url": server.url}, progress=False))
server.close()

# %% [markdown]
# The panel: click it, then ↑/↓ pick a row, digits score it, `y`/`n` answer a checklist
# question, `p`/`f` pass or fail, Enter saves, `s` skips, `b` goes back. Items come stratified
# by subtask, those the checks or the judge failed first; it resumes where the rater stopped.

# %%
panel = RatingPanel(RATED, rater="ana", failures_first=True)
panel

# %% [markdown]
# Nobody is at the keyboard when the tests run this notebook, so two raters' scores are entered
# through the same panel here (`panel.rate` fills the controls and saves, as clicking does).

# %%
for scores in [(8, 7, 9, 8), (3, 5, 6, 4), (9, 9, 8, 9), (5, 4, 6, 6), (7, 8, 7, 7), (2, 3, 4, 3)]:
    panel.rate(dict(zip(panel.criteria_controls, scores)))
bo = RatingPanel(RATED, rater="bo", failures_first=True)
for scores in [(7, 7, 8, 8), (4, 4, 6, 5), (9, 8, 8, 9), (6, 5, 5, 6), (6, 8, 7, 6), (3, 2, 4, 3)]:
    bo.rate(dict(zip(bo.criteria_controls, scores)))

# %%
report = agreement(RATED, n_boot=500)
Markdown(report.markdown.read_text())

# %%
Image(filename=str(report.figure))
