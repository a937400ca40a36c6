"""The prompt-prototyping panel: pick a subtask, edit a template and its pools, press Sample.

A face over the library: every action is one call into ``ogi_toolkit.templates`` (customise,
sample, save) and errors are shown in the panel as one line, never as a traceback. The panel
keeps its last results on attributes (``specs``, ``stats``, ``error``) so it can be driven
and tested without a browser: set widget values, call ``button.click()``.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w
import yaml

from ..definition.pools import Pools
from ..definition.taxonomy import Taxonomy, load_taxonomy
from ..spec import InstructionSpec
from ..templates.custom import customise, save_subtask, with_subtask
from ..templates.sampler import default_pools, sample
from .preview import preview_png
from .stats import sample_stats

__all__ = ["PrototypePanel"]

ALL_TEMPLATES = "(all templates)"
NEW_TEMPLATE = "(new template)"
NO_POOL = "(no pool restriction)"
MIXED = 0  # difficulty "mixed": grades follow the subtask's difficulty_mix (grades start at 1)


def restrict(pools: Pools, pool: str, ids: list[str]) -> Pools:
    """``pools`` drawing ``pool`` only from the items ``ids`` (see ``Pools.restricted``)."""
    return pools.restricted(pool, ids)


class PrototypePanel:
    """Widgets to prototype a subtask's templates; ``display(panel)`` in a notebook."""

    def __init__(self, taxonomy: Taxonomy | None = None, pools: Pools | None = None, *,
                 subtask: str | None = None, save_dir: str | Path | None = None, previews: int = 3,
                 preview_size: str = "256x256"):
        self.taxonomy = taxonomy or load_taxonomy()
        self.pools = pools if pools is not None else default_pools()
        self.save_dir = Path(save_dir) if save_dir is not None else self.taxonomy.path
        self.previews, self.preview_size = previews, preview_size
        self.specs: list[InstructionSpec] = []
        self.stats: dict = {}
        self.error: str | None = None
        self.saved_to: Path | None = None

        first = self.taxonomy.subtask(subtask) if subtask else self.taxonomy.subtasks[0]
        self.domain = w.Dropdown(description="Domain", options=[(d.name, d.id) for d in self.taxonomy.domains], value=first.domain)
        self.subtask = w.Dropdown(description="Subtask")
        self.info = w.HTML()
        self.template = w.Dropdown(description="Template")
        self.template_text = w.Textarea(description="Text", layout=w.Layout(width="98%", height="90px"))
        self.new_template_id = w.Text(description="New id", value="custom_template")
        self.params = w.Textarea(description="Params", layout=w.Layout(width="98%", height="60px"))
        self.pool = w.Dropdown(description="Pool", options=[NO_POOL] + self.pools.names(), value=NO_POOL)
        self.pool_values = w.SelectMultiple(description="Only", rows=6, layout=w.Layout(width="98%"))
        self.seed = w.IntText(description="Seed", value=0)
        self.difficulty = w.Dropdown(description="Difficulty", options=[("mixed", MIXED)], value=MIXED)
        self.n = w.BoundedIntText(description="How many", value=10, min=1, max=500)
        self.sample_button = w.Button(description="Sample", button_style="primary", icon="play")
        self.new_subtask_id = w.Text(description="Save as", placeholder="new subtask id (optional)")
        # a new subtask's own target: copying the original's would silently grow the taxonomy's total
        self.new_target = w.IntText(description="Its target", value=0, layout=w.Layout(width="170px"))
        self.save_button = w.Button(description="Save to taxonomy", icon="save", layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.results = w.HTML()
        self.stats_view = w.HTML()
        self.gallery = w.HBox()

        self.domain.observe(self._on_domain, names="value")
        self.subtask.observe(self._on_subtask, names="value")
        self.template.observe(self._on_template, names="value")
        self.pool.observe(self._on_pool, names="value")
        self.new_subtask_id.observe(self._on_new_id, names="value")
        self.sample_button.on_click(lambda _: self.sample())
        self.save_button.on_click(lambda _: self.save())
        self._on_domain()
        self.subtask.value = first.id
        self._on_new_id()

        controls = w.VBox([
            w.HBox([self.domain, self.subtask]), self.info,
            w.HBox([self.template, self.new_template_id]), self.template_text, self.params,
            w.HBox([self.pool]), self.pool_values,
            w.HBox([self.seed, self.difficulty, self.n]),
            w.HBox([self.sample_button, self.new_subtask_id, self.new_target, self.save_button]), self.message,
        ])
        self.widget = w.VBox([controls, self.stats_view, self.gallery, self.results])

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # --- reacting to choices -------------------------------------------------------------
    def _on_domain(self, *_):
        subs = self.taxonomy.in_domain(self.domain.value)
        self.subtask.options = [(s.name, s.id) for s in subs]

    def _on_subtask(self, *_):
        if not self.subtask.value:
            return
        sub = self.taxonomy.subtask(self.subtask.value)
        excludes = "".join(f"<li>{html.escape(x)}</li>" for x in sub.boundary.excludes) or "<li>—</li>"
        grades = "".join(f"<li><b>{g}</b>: {html.escape(t)}</li>" for g, t in sorted(sub.difficulty.items()))
        self.info.value = (
            f"<b>{html.escape(sub.name)}</b> ({sub.kind}, target {sub.target:,}, builder <code>{sub.builder}</code>)"
            f"<br>{html.escape(sub.definition)}<br><i>Excludes:</i><ul>{excludes}</ul><i>Grades:</i><ul>{grades}</ul>"
        )
        self.template.options = [ALL_TEMPLATES] + [t.id for t in sub.templates] + [NEW_TEMPLATE]
        self.template.value = ALL_TEMPLATES
        self.params.value = yaml.safe_dump(sub.params, sort_keys=False, allow_unicode=True).strip() if sub.params else ""
        self.difficulty.options = [("mixed", MIXED)] + [(str(g), g) for g in sub.grades]
        self.difficulty.value = MIXED
        self._on_template()

    def _on_template(self, *_):
        sub = self.taxonomy.subtask(self.subtask.value)
        choice = self.template.value
        self.template_text.disabled = choice == ALL_TEMPLATES
        self.new_template_id.layout.display = "" if choice == NEW_TEMPLATE else "none"
        if choice == ALL_TEMPLATES:
            self.template_text.value = ""
        elif choice == NEW_TEMPLATE:
            self.template_text.value = sub.templates[0].text
        else:
            self.template_text.value = next(t.text for t in sub.templates if t.id == choice)

    def _on_new_id(self, *_):
        # the target is asked for only when saving as a new subtask
        self.new_target.layout.display = "" if self.new_subtask_id.value.strip() else "none"

    def _on_pool(self, *_):
        if self.pool.value == NO_POOL:
            self.pool_values.options = []
        else:
            self.pool_values.options = [(i.name, i.id) for i in self.pools[self.pool.value]]
        self.pool_values.value = ()

    # --- actions --------------------------------------------------------------------------
    def edited_subtask(self, *, only_template: bool = True):
        """The subtask as edited in the panel (validated; raises with a message on a bad edit).

        ``only_template`` keeps just the edited template (what Sample shows); saving keeps all.
        """
        sub = self.taxonomy.subtask(self.subtask.value)
        try:
            params = yaml.safe_load(self.params.value) if self.params.value.strip() else {}
        except yaml.YAMLError as exc:
            raise ValueError(f"params are not valid YAML: {exc}") from None
        if not isinstance(params, dict):
            raise ValueError(f"params must be a mapping of names to values, got {params!r}")
        choice = self.template.value
        template_id = self.new_template_id.value.strip() if choice == NEW_TEMPLATE else choice
        text = None if choice == ALL_TEMPLATES else self.template_text.value
        return customise(sub, template_id=template_id if text is not None else None, text=text,
                         only_template=only_template and text is not None, params=params)

    def _pools(self) -> Pools:
        if self.pool.value == NO_POOL or not self.pool_values.value:
            return self.pools
        return restrict(self.pools, self.pool.value, list(self.pool_values.value))

    def sample(self) -> list[InstructionSpec]:
        """Sample with the current settings; shows results, stats and previews (or the error)."""
        self.error, self.specs, self.stats = None, [], {}
        try:
            sub = self.edited_subtask()
            taxonomy = with_subtask(self.taxonomy, sub)
            self.specs = sample(sub.id, self.n.value, seed=self.seed.value, difficulty=None if self.difficulty.value == MIXED else self.difficulty.value,
                                taxonomy=taxonomy, pools=self._pools())
        except Exception as exc:  # shown in the panel: a prototyping tool must not throw tracebacks
            self._clear_outputs()  # what is left on screen would read as the broken edit's output
            return self._fail(self._explain(exc))
        self.stats = sample_stats([s.instruction for s in self.specs], [s.template_id for s in self.specs])
        self.message.value = f"<span style='color:green'>{len(self.specs)} instructions sampled</span>"
        self.stats_view.value = " · ".join(f"{k.replace('_', ' ')}: <b>{v}</b>" for k, v in self.stats.items())
        self.results.value = self._table()
        self.gallery.children = [self._preview(s) for s in self.specs[: self.previews]]
        return self.specs

    def save(self) -> Path | None:
        """Save the edited subtask into its domain file, or, with a "Save as" id, a new subtask
        with the target given beside it. Only that subtask's entry of the file changes."""
        self.error = None
        try:
            sub = self.edited_subtask(only_template=False)
            new_id = self.new_subtask_id.value.strip()
            if new_id:
                if new_id in {s.id for s in self.taxonomy.subtasks}:
                    raise ValueError(f"Save as: subtask {new_id!r} exists already; pick another id, or clear "
                                     f"'Save as' to save {sub.id!r} itself")
                if self.new_target.value < 1:
                    raise ValueError(f"Save as: give {new_id!r} its target (items it gets in the full plan; "
                                     f"{sub.id!r} has {sub.target:,}), in 'Its target'")
                sub = customise(sub, new_id=new_id).model_copy(update={"target": self.new_target.value})
            self.saved_to = save_subtask(sub, self.save_dir)
        except Exception as exc:
            return self._fail(exc)
        self.taxonomy = load_taxonomy(self.save_dir)
        # the subtask lists come from the reloaded taxonomy, so a new subtask can be picked at once
        self.domain.value = sub.domain
        self._on_domain()
        self.subtask.value = sub.id
        self.new_subtask_id.value = ""
        self.message.value = f"<span style='color:green'>saved {html.escape(sub.id)} to {html.escape(str(self.saved_to))}</span>"
        return self.saved_to

    def _clear_outputs(self) -> None:
        self.results.value, self.stats_view.value = "", ""
        self.gallery.children = []

    def _explain(self, exc: Exception) -> Exception:
        """A builder failing on edited params says which edited key did it (the builder's own
        error, an IndexError say, names none): each edited key is put back in turn, and a key
        whose original value makes the build work is named."""
        from ..templates.sampler import BuildError

        if not isinstance(exc, BuildError):
            return exc
        original = self.taxonomy.subtask(self.subtask.value).params
        try:
            edited = self.edited_subtask().params
        except Exception:
            return exc
        changed = [k for k in edited if edited.get(k) != original.get(k)]
        for key in changed:
            trial = {**edited, key: original[key]} if key in original else {k: v for k, v in edited.items() if k != key}
            try:
                sub = customise(self.edited_subtask(), params=trial)
                sample(sub.id, min(self.n.value, 10), seed=self.seed.value, taxonomy=with_subtask(self.taxonomy, sub),
                       difficulty=None if self.difficulty.value == MIXED else self.difficulty.value, pools=self._pools())
            except Exception:
                continue
            cause = exc.__cause__
            detail = f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)
            return ValueError(f"params: {key}: {json.dumps(edited[key], ensure_ascii=False)} is not a value builder "
                              f"{sub.builder!r} can use ({detail}); "
                              f"the saved value is {json.dumps(original.get(key), ensure_ascii=False)}")
        return exc

    def _fail(self, exc: Exception):
        self.error = f"{type(exc).__name__}: {exc}"
        self.message.value = f"<span style='color:#b00020'>{html.escape(self.error)}</span>"
        return None

    def _table(self) -> str:
        rows = []
        for s in self.specs:
            spec = json.dumps(s.model_dump(exclude_none=True, exclude={"instruction"}), ensure_ascii=False, indent=1)
            rows.append(
                f"<tr><td class='ogi-instruction'>{html.escape(s.instruction)}</td><td>{s.template_id}</td>"
                f"<td>{s.difficulty}</td><td><details><summary>spec</summary><pre>{html.escape(spec)}</pre></details></td></tr>"
            )
        return ("<table><tr><th>instruction</th><th>template</th><th>grade</th><th></th></tr>" + "".join(rows) + "</table>")

    def _preview(self, spec: InstructionSpec) -> w.Widget:
        try:
            data = preview_png(spec, self.preview_size)
        except Exception as exc:  # a preview failing must not hide the samples
            return w.HTML(f"<i>no preview: {html.escape(str(exc))}</i>")
        return w.Image(value=data, format="png", layout=w.Layout(width="200px"))
