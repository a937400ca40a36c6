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
# # 03 · Generate a batch
# Plan a small batch across generation and editing subtasks, price it, and generate it.
# Offline (no `OPENAI_API_KEY`) the **sketch** backend draws schematic images from each spec:
# it is a procedural renderer, not a generative model. With a key set, the same cells run
# against the OpenAI API (`BACKEND = "openai"`).

# %%
import os
import tempfile

from IPython.display import HTML

from ogi_toolkit import plan
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.generate import dry_run, run_plan
from ogi_toolkit.generate.dry_run import pricing_note
from ogi_toolkit.planning import summary
from ogi_toolkit.widgets import gallery_html

BACKEND = "openai" if os.environ.get("OPENAI_API_KEY") else "sketch"
OUT = os.environ.get("OGI_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="ogi-batch-")
SUBTASKS = ["object_counting", "multilingual_support", "physics", "replace", "text_replace", "three_turns", "reference_image"]

specs = plan(counts={s: 2 for s in SUBTASKS}, seed=0)
summary(specs)

# %% [markdown]
# What it would cost with `gpt-image-1` at low quality, before anything is sent (the sketch
# renderer itself is free); the line under the table says what was priced and what assumed:

# %%
costs = dry_run(specs, backend=BACKEND, image_model="gpt-image-1", quality="low", size="1024x1024")
print(pricing_note(costs))
costs

# %%
result = run_plan(specs, OUT, backend=BACKEND, size="512x512")
print(result)

# %%
data = load_dataset(OUT)
data[["subtask", "status", "instruction", "cost_usd"]]

# %% [markdown]
# Each image under its instruction and spec; multi-turn chains turn by turn.

# %%
HTML(gallery_html(data, n=len(data), width=170))
