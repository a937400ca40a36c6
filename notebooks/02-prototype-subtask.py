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
# # 02 · Prototype a subtask
# Choose a domain and subtask, edit a template's text (Jinja2 with grammar filters such as
# `|a`, `|plural`, `count_phrase`), its builder params, or restrict a pool to a few values;
# set seed and difficulty and press **Sample**: the instructions appear with their specs,
# a few sketch previews, and the sample's diversity. **Save to taxonomy** writes the edited
# subtask into its `taxonomy/<domain>.yaml`, validated first, changing only that subtask's
# lines; with a **Save as** id it adds a new subtask, whose target you give beside it. A bad
# template or param shows its error here (and the last good output is cleared); it is never saved.

# %%
from ogi_toolkit.widgets import PrototypePanel

panel = PrototypePanel(subtask="relative_position")
panel

# %% [markdown]
# The panel is plain Python underneath: the same can be scripted.

# %%
panel.n.value = 5
panel.sample()
panel.stats
