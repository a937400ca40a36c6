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
# # 07 · Calibrate and rate
# ## Rate items by hand, and see how raters agree with the judge
# A small batch drawn offline by the **sketch** renderer (a procedural renderer, not a generative
# model), judged, then rated by people in the panel. Ratings go to `ratings.jsonl` beside the
# manifest; `agreement` compares each rater with the judge and the raters with each other.

# %%
import os
import tempfile

from IPython.display import Image, Markdown

from ogi_toolkit import plan, run_plan
from ogi_toolkit.quality.agreement import agreement
from ogi_toolkit.quality.judge import judge
from ogi_toolkit.server import serve_in_background
from ogi_toolkit.widgets import RatingPanel

OUT = os.path.join(os.environ.get("OGI_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="ogi-rate-"), "rated")
specs = plan(counts={"relative_position": 2, "object_counting": 2, "remove": 2, "two_turns": 2}, seed=0)
print(run_plan(specs, OUT, progress=False))

# %% [markdown]
# The judge. Offline it asks the local OpenAI-compatible server, whose answers are drawn from a
# hash of each request (a protocol fixture, not a model): the numbers below show the mechanics,
# not a judge's quality. With `OPENAI_API_KEY` set, drop `base_url` to ask a real vision model.

# %%
server = serve_in_background()
print(judge(OUT, judge_model="gpt-4o-mini", backend_options={"base_url": server.url}, progress=False))
server.close()

# %% [markdown]
# The panel: click it, then ↑/↓ pick a row, digits score it, `y`/`n` answer a checklist
# question, `p`/`f` pass or fail, Enter saves, `s` skips, `b` goes back. It resumes where the
# rater stopped; `failures_first=True` puts the items the checks or the judge failed first.

# %%
panel = RatingPanel(OUT, rater="ana")
panel

# %% [markdown]
# Nobody is at the keyboard when the tests run this notebook, so two raters' scores are entered
# through the same panel here (`panel.rate` fills the controls and saves, as clicking does).

# %%
for scores in [(8, 7, 9, 8), (3, 5, 6, 4), (9, 9, 8, 9), (5, 4, 6, 6), (7, 8, 7, 7), (2, 3, 4, 3)]:
    panel.rate(dict(zip(panel.criteria_controls, scores)))
bo = RatingPanel(OUT, rater="bo")
for scores in [(7, 7, 8, 8), (4, 4, 6, 5), (9, 8, 8, 9), (6, 5, 5, 6), (6, 8, 7, 6), (3, 2, 4, 3)]:
    bo.rate(dict(zip(bo.criteria_controls, scores)))

# %%
report = agreement(OUT, n_boot=500)
Markdown(report.markdown.read_text())

# %%
Image(filename=str(report.figure))
