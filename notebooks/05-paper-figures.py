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
# # 05 · The paper's figures, regenerated from data
# Every figure is drawn by code from the paper's tables (copied, with the citation, into
# `ogi_toolkit/figures/data/`); `ogi figures --out figures/` writes the same files.

# %%
import os
import tempfile

from IPython.display import Image, display
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ogi_toolkit import plan
from ogi_toolkit.figures import BENCHMARKS, domain_shares, finetune_gains, taxonomy_sunburst, write_paper_figures
from ogi_toolkit.figures.write import DPI
from ogi_toolkit.planning import to_frame

OUT = os.environ.get("OGI_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="ogi-figures-")
written = write_paper_figures(OUT)
[p.name for p in written]

# %% [markdown]
# The fine-tuning overview, two panels a row so their numbers can be read:

# %%
overview = Figure(figsize=(11, 8.5))
for ax, benchmark in zip(overview.subplots(2, 2).flat, BENCHMARKS):
    finetune_gains(benchmark, ax=ax)
overview.legend(*overview.axes[0].get_legend_handles_labels(), loc="upper center", ncol=2, frameon=False)
overview.tight_layout(rect=(0, 0, 1, 0.95))
overview

# %% [markdown]
# Every figure file at the size it was drawn for (its inches at 100 pixels each; the PNGs
# themselves are 150 dpi):

# %%
for path in written:
    if path.suffix == ".png":
        display(Image(filename=str(path), width=PILImage.open(path).width * 100 // DPI))

# %% [markdown]
# The same charts for a plan of our own, against the paper's distribution.

# %%
ours = to_frame(plan(total=2000, seed=0))
taxonomy_sunburst(data=ours, title="our 2,000-item plan");

# %%
domain_shares(data=ours, label="our plan");
