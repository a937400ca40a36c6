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
# # 01 · Explore the taxonomy
# The 11 domains and 51 subtasks of OpenGPT-4o-Image (arXiv 2509.24900) as this toolkit
# defines them (`taxonomy/*.yaml`), the resource pools they draw from (`pools/`), and sample
# instructions of any subtask with their structured specs.

# %%
from ogi_toolkit import load_pools, load_taxonomy, sample
from ogi_toolkit.figures import taxonomy_sunburst
from ogi_toolkit.planning import to_frame

taxonomy = load_taxonomy()
taxonomy.frame()[["kind", "domain_name", "name", "target", "templates", "builder"]]

# %% [markdown]
# Target counts per domain: the paper's sample counts are the default targets.

# %%
taxonomy.frame().groupby(["kind", "domain_name"], sort=False)["target"].sum()

# %%
taxonomy_sunburst();

# %% [markdown]
# ## Resource pools

# %%
pools = load_pools()
pools.frame()

# %% [markdown]
# ## Sample instructions of any subtask

# %%
SUBTASK = "relative_position"
specs = sample(SUBTASK, n=8, seed=0)
# a Styler shows every instruction whole (a plain DataFrame cuts cells at 50 characters)
to_frame(specs)[["template_id", "difficulty", "instruction"]].style.set_properties(
    subset=["instruction"], **{"text-align": "left", "white-space": "normal"})

# %% [markdown]
# Every instruction carries its structured spec: later stages read it, never the text.

# %%
print(specs[0].model_dump_json(indent=1, exclude_none=True))

# %%
print(taxonomy.subtask("remove").definition)
print(sample("remove", n=1, seed=1)[0].model_dump_json(indent=1, exclude_none=True))
