# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Quality: check, filter, look at the worst first
# Offline checks of every pair (OCR of the texts the spec asks for, edit preservation,
# technical checks, spec against the renderer's layout record), then a filtered copy of the
# dataset and the items that failed, worst first. A small sketch dataset is drawn here, and a
# copy of it gets known faults planted (swapped text outputs, a blank image, an edit that
# changed nothing, an unrelated picture) so there is something to catch.
#
# The VLM judge runs here against the bundled local server (`ogi serve`): a protocol fixture
# whose answers are deterministic, not a judgment of the pictures. With `OPENAI_API_KEY` set it
# asks OpenAI instead (a few cents for this set with gpt-4o-mini).

# %%
import os
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import display
from PIL import Image

from ogi_toolkit import plan
from ogi_toolkit.dataset import load_dataset
from ogi_toolkit.generate import run_plan
from ogi_toolkit.quality import check, failures_table, filter_dataset, format_rates
from ogi_toolkit.quality.checks.faults import plant_faults
from ogi_toolkit.quality.judge import judge
from ogi_toolkit.server import serve_in_background

OUT = Path(os.environ.get("OGI_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="ogi-quality-"))
SUBTASKS = ["textual_accuracy", "typography", "multilingual_support", "structured_text_layout", "text_graphic_integration",
            "photographic_styles", "add", "remove", "replace", "text_replace"]
run_plan(plan(counts={s: 2 for s in SUBTASKS}, seed=0), OUT / "data", size="512x512")

# %% [markdown]
# ## Check the clean dataset
# Thresholds live beside each check (`ogi_toolkit/quality/checks/suite/*.yaml`; pass your own with `config=`). A rerun
# checks only items whose images, thresholds or checking code changed.

# %%
clean = check(OUT / "data")
print(format_rates(clean.lines))

# %% [markdown]
# ## Plant faults, check again

# %%
FAULTY = OUT / "faulty"
planted = plant_faults(OUT / "data", FAULTY)
faulty = check(FAULTY)
print(format_rates(faulty.lines))
planted

# %% [markdown]
# ## Judge (rubric + checklist questions made from each spec)

# %%
if os.environ.get("OPENAI_API_KEY"):
    judged = judge(FAULTY, backend="openai", judge_model="gpt-4o-mini", max_cost=1.0)
else:
    with serve_in_background() as server:
        judged = judge(FAULTY, backend="openai", judge_model="gpt-4o-mini", backend_options={"base_url": server.url})
judged

# %% [markdown]
# ## The worst items first

# %%
failures = failures_table(faulty.lines)
failures.head(15)

# %%
items = load_dataset(FAULTY).set_index("id")
for item_id in failures["id"].drop_duplicates().head(3):
    row = items.loc[item_id]
    print(item_id, "-", row["instruction"], "- failed:", ", ".join(row["checks_failed"]), "- judge:", row["judge_score"])
    display(*(Image.open(p).resize((256, 256)) for p in [*row["input_images"][:1], row["output_image"]]))

# %% [markdown]
# ## Filter
# Keep what passes the text, preservation and technical checks and what the judge scored at
# least 0.7; `dropped.csv` says why each other item was left out. The kept items' images are
# hard links, not copies.

# %%
report = filter_dataset(FAULTY, OUT / "kept", require=["text", "preservation", "technical"], min_score=0.7,
                        overwrite=True)
print(report.summary())
pd.read_csv(OUT / "kept" / "dropped.csv")

# %%
load_dataset(OUT / "kept")[["id", "subtask", "check_passed", "judge_score"]].head()
