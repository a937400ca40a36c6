"""The rating panel: a person rates a dataset folder's items one at a time, by keyboard or mouse.

``RatingPanel("data/run1", rater="ana")`` shows the instruction, the input image(s) and the
output (a multi-turn item turn by turn), the reference image, one row of score buttons per
rubric criterion, the spec's checklist questions (yes / no) and pass / fail. Ratings go to
``data/run1/ratings.jsonl`` through :class:`ogi_toolkit.quality.ratings.RatingSession`, which
also decides the order (stratified by subtask, failures first when asked) and where the rater
resumes. Keys (once the panel has been clicked): ↑/↓ pick a row, a digit sets the row's score
and moves to the next row (``=``: the top of the scale), ←/→ lower or raise it, ``y``/``n``
answer a question, ``p``/``f`` pass or fail, Enter saves and moves on, ``s`` skips (a saved
rating stays), ``u`` undoes the item's rating, ``b`` goes back, ``z`` enlarges the images.

Driven without a browser like the other panels: set control values, ``button.click()``, or
``panel.press("7")``.
"""
from __future__ import annotations

import contextlib
import html
from pathlib import Path
from typing import Iterator

import ipywidgets as w

from ..quality.judge.rubric import Rubric
from ..quality.ratings import RatingItem, RatingSession
from .keys import KeyCapture

__all__ = ["RatingPanel"]

DIGITS = tuple("0123456789")
KEYS = [*DIGITS, "=", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "y", "n", "p", "f", "Enter", "s", "b",
        "Backspace", "u", "z"]
HELP = ("keys: ↑/↓ row · 0-9 score the row and go to the next (= top) · ←/→ lower/raise · y/n answer · "
        "p/f pass/fail · Enter save &amp; next · s skip (a saved rating stays) · u undo rating · b back · z enlarge")
STYLE = """<style>
.ogi-rating-panel .ogi-row { padding: 1px 4px; border-left: 3px solid transparent; }
.ogi-rating-panel .ogi-focus { border-left: 3px solid #1976d2; background: #e3f2fd; }
.ogi-rating-panel .ogi-keys { font-size: 12px; color: #555; padding: 4px; border: 1px dashed #bbb; cursor: pointer; }
.ogi-rating-panel .ogi-keys:focus { outline: 2px solid #1976d2; }
.ogi-rating-panel .ogi-rating-instruction { font-size: 15px; }
.ogi-rating-panel .widget-toggle-buttons .widget-toggle-button { width: 34px; padding: 0; }
.ogi-rating-panel .widget-toggle-button.mod-active { background: #1976d2; color: white; }
</style>"""
IMAGE_WIDTH = "200px"  # a multi-turn item's source and four turns fit in one row
LARGE_IMAGE_WIDTH = "512px"  # "enlarge": details a rater must judge (text, small objects) are readable


def _image(path: Path | None, caption: str, width: str = IMAGE_WIDTH) -> w.Widget:
    if path is None:
        return w.HTML(f"<div><b>{html.escape(caption)}</b><br><i>image missing</i></div>")
    image = w.Image(value=path.read_bytes(), format=path.suffix.lstrip(".").lower() or "png",
                    layout=w.Layout(width=width, height="auto"))
    return w.VBox([w.HTML(f"<b>{html.escape(caption)}</b>"), image])


def _arrow(symbol: str) -> w.HTML:
    return w.HTML(f"<div style='font-size:28px;padding:80px 6px 0'>{symbol}</div>")


def images_of(item: RatingItem, width: str = IMAGE_WIDTH) -> w.Widget:
    """Input(s) → output; a multi-turn item as its source, then each turn's instruction and
    output. ``width``: of each image (enlarged, the row wraps)."""
    if item.prompt_kind == "multi_turn":
        rows = [_image(item.source, "source", width)]
        for k, (instruction, image) in enumerate(item.turns, start=1):
            rows.append(w.VBox([_image(image, f"after turn {k}", width),
                                w.HTML(f"<b>Turn {k}:</b> {html.escape(instruction)}")],
                               layout=w.Layout(width=f"calc({width} + 10px)")))
        return w.HBox(rows, layout=w.Layout(flex_flow="row wrap"))
    if item.prompt_kind == "generation":
        return w.HBox([_image(item.output, "output", width)])
    parts = [_image(item.source, "input", width)]
    if item.prompt_kind == "reference":
        parts += [_arrow("+"), _image(item.reference, "reference", width)]
    return w.HBox([*parts, _arrow("→"), _image(item.output, "output", width)],
                  layout=w.Layout(flex_flow="row wrap"))


class RatingPanel:
    """Rate the items of ``path`` as ``rater`` (``n``: only the first ``n`` of the stratified
    order); ``display(panel)`` in a notebook."""

    def __init__(self, path: str | Path, rater: str, *, rubric: str | Path | Rubric | None = None, seed: int = 0,
                 failures_first: bool = False, n: int | None = None):
        self.session = RatingSession(path, rater, rubric=rubric, seed=seed, failures_first=failures_first, n=n)
        self.rubric = self.session.rubric
        scale = range(self.rubric.scale.min, self.rubric.scale.max + 1)
        self.score_options = [(str(v), v) for v in scale]
        self.error: str | None = None

        self.rater = w.Text(value=self.session.rater, description="Rater", continuous_update=False)
        self.rater.observe(self._on_rater, "value")
        self.progress = w.HTML()
        self.instruction = w.HTML()
        self.images = w.Box()
        self.rows = w.VBox()
        self.message = w.HTML()
        self.back_button = w.Button(description="Back (b)", icon="arrow-left", layout=w.Layout(width="auto"))
        self.skip_button = w.Button(description="Skip (s)", icon="forward", layout=w.Layout(width="auto"))
        self.save_button = w.Button(description="Save & next (Enter)", button_style="primary", icon="check",
                                     layout=w.Layout(width="auto"))
        self.undo_button = w.Button(description="Undo rating (u)", icon="undo", layout=w.Layout(width="auto"),
                                    tooltip="take back the saved rating of this item (skipping never does)")
        self.enlarge = w.ToggleButton(description="Enlarge images (z)", icon="search-plus", layout=w.Layout(width="auto"))
        self.back_button.on_click(lambda _: self.back())
        self.skip_button.on_click(lambda _: self.skip())
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())
        self.enlarge.observe(lambda _: self._show_images(), "value")
        self.keys = KeyCapture(shortcut_keys=KEYS, root_class="ogi-rating-panel", hint="⌨ click the panel, then: " + HELP.replace("&amp;", "&"))
        self.keys.on_key(self.press)

        self.criteria_controls: dict[str, w.ToggleButtons] = {}
        self.question_controls: list[w.ToggleButtons] = []
        self.passed = w.ToggleButtons(options=[("pass", True), ("fail", False)], value=None)
        self.passed.observe(self._on_passed, "value")
        self._passed_by_rater = False
        self._setting = False
        self._row_boxes: list[w.HBox] = []
        self._controls: list[w.ToggleButtons] = []
        self.focus = 0

        self.widget = w.VBox([
            w.HTML(STYLE), w.HBox([self.rater, self.progress]), self.instruction, self.images, self.rows,
            w.HBox([self.back_button, self.skip_button, self.undo_button, self.save_button, self.enlarge]),
            self.message, self.keys])
        self.widget.add_class("ogi-rating-panel")
        self.show()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # --- what is shown -------------------------------------------------------------------
    def show(self) -> None:
        """Show the session's current item (prefilled with this rater's last rating of it)."""
        session, item = self.session, self.session.current()
        total = len(session.order)
        if item is None:
            self.progress.value = f"<b>all {total} items rated by {html.escape(session.rater)}</b>"
            self.instruction.value, self.images.children, self.rows.children = "", (), ()
            self._controls, self._row_boxes = [], []
            self.undo_button.disabled = True
            return
        self.progress.value = (f"<b>{session.position + 1} / {total}</b> · {html.escape(item.subtask)} · "
                               f"<code class='ogi-item-id'>{html.escape(item.id)}</code>")
        self.instruction.value = f"<div class='ogi-rating-instruction'>{html.escape(item.instruction)}</div>"
        self._show_images()
        self._build_rows(item)
        saved = session.existing(item)
        self._prefill(saved)
        self.undo_button.disabled = saved is None
        self.focus = 0
        self._show_focus()

    def _show_images(self) -> None:
        item = self.session.current()
        if item is not None:
            self.images.children = (images_of(item, LARGE_IMAGE_WIDTH if self.enlarge.value else IMAGE_WIDTH),)

    def _build_rows(self, item: RatingItem) -> None:
        self.criteria_controls = {c.name: w.ToggleButtons(options=self.score_options, value=None)
                                  for c in self.session.criteria(item)}
        for control in self.criteria_controls.values():
            control.observe(self._on_score, "value")
        self.question_controls = [w.ToggleButtons(options=["yes", "no"], value=None) for _ in item.questions]
        with self._quiet():
            self.passed.value = None
        self._passed_by_rater = False
        rows, controls = [], []
        for criterion in self.session.criteria(item):
            label = w.HTML(f"<b>{criterion.name.replace('_', ' ')}</b>", layout=w.Layout(width="190px"),
                           tooltip=criterion.description)
            rows.append(w.HBox([label, self.criteria_controls[criterion.name]]))
            controls.append(self.criteria_controls[criterion.name])
        turns = item.question_turns or (None,) * len(item.questions)
        for question, turn, control in zip(item.questions, turns, self.question_controls):
            where = f"<b>turn {turn}:</b> " if turn is not None else ""
            rows.append(w.HBox([control, w.HTML(where + html.escape(question))]))
            controls.append(control)
        rows.append(w.HBox([w.HTML("<b>verdict</b>", layout=w.Layout(width="190px")), self.passed]))
        controls.append(self.passed)
        for row in rows:
            row.add_class("ogi-row")
        self._row_boxes, self._controls = rows, controls
        self.rows.children = [w.HTML("<b>Criteria</b> (scale "
                                     f"{self.rubric.scale.min}–{self.rubric.scale.max}; a digit key scores the "
                                     "row in focus and moves to the next row)"), *rows]

    def _prefill(self, line: dict | None) -> None:
        if not line or line.get("skipped"):
            return
        for name, value in (line.get("criteria") or {}).items():
            if name in self.criteria_controls:
                self.criteria_controls[name].value = value
        for control, entry in zip(self.question_controls, line.get("questions") or []):
            control.value = entry.get("answer")
        with self._quiet():
            self.passed.value = line.get("passed")
        self._passed_by_rater = True

    def _show_focus(self) -> None:
        for k, row in enumerate(self._row_boxes):
            (row.add_class if k == self.focus else row.remove_class)("ogi-focus")

    # --- state ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """A block in which the panel's own changes to pass/fail are not taken as the rater's."""
        self._setting = True
        try:
            yield
        finally:
            self._setting = False

    def _on_passed(self, _change) -> None:
        if not self._setting:
            self._passed_by_rater = True

    def _on_score(self, _change) -> None:
        """Until the rater says pass or fail, the rubric decides it from the scores set so far."""
        scores = {name: c.value for name, c in self.criteria_controls.items()}
        if self._passed_by_rater or any(v is None for v in scores.values()):
            return
        item = self.session.current()
        score = self.rubric.score(item.kind, scores)[0]
        with self._quiet():
            self.passed.value = score >= self.rubric.pass_threshold

    def _on_rater(self, change) -> None:
        try:
            self.session.set_rater(change["new"])
        except ValueError as exc:
            # the box goes back to the name the ratings are saved under, so it never shows another
            self.rater.unobserve(self._on_rater, "value")
            self.rater.value = self.session.rater
            self.rater.observe(self._on_rater, "value")
            self._fail(str(exc))
            return
        self.message.value = ""
        self.show()

    def _fail(self, text: str) -> None:
        self.error = text
        self.message.value = f"<span style='color:#b00020'>{html.escape(text)}</span>"

    # --- actions -------------------------------------------------------------------------
    def save(self) -> dict | None:
        """Save the current item's rating and show the next; None (and a message) when a score is missing."""
        if self.session.finished:
            return None
        missing = [name for name, c in self.criteria_controls.items() if c.value is None]
        if missing:
            self.focus = self._controls.index(self.criteria_controls[missing[0]])
            self._show_focus()
            self._fail(f"score {', '.join(m.replace('_', ' ') for m in missing)} first")
            return None
        line = self.session.save({name: c.value for name, c in self.criteria_controls.items()},
                                 passed=self.passed.value, answers=[c.value for c in self.question_controls])
        self.error = None
        self.message.value = f"<span style='color:green'>saved {html.escape(line['id'])}</span>"
        self.show()
        return line

    def rate(self, criteria: dict[str, int], *, passed: bool | None = None,
             answers: list[str | None] | None = None) -> dict | None:
        """Fill the current item's controls and save, as a rater clicking would (scripts, tests)."""
        for name, value in criteria.items():
            if name not in self.criteria_controls:
                raise ValueError(f"criterion {name!r}: expected one of {list(self.criteria_controls)} for this item")
            self.criteria_controls[name].value = value
        for control, answer in zip(self.question_controls, answers or []):
            control.value = answer
        if passed is not None:
            self.passed.value = passed
        return self.save()

    def skip(self) -> None:
        """Move on; an item already rated keeps its rating (only undo takes it back)."""
        if not self.session.finished:
            line = self.session.skip()
            kept = not line.get("skipped")
            self.message.value = (f"kept the saved rating of {html.escape(line['id'])} (undo takes it back)" if kept
                                  else f"skipped {html.escape(line['id'])}")
            self.show()

    def undo(self) -> None:
        """Take back the current item's saved rating; the item stays to be rated again."""
        if self.session.finished:
            return
        line = self.session.undo()
        self.message.value = f"took back the rating of {html.escape(line['id'])}" if line else "nothing to undo"
        self.show()

    def back(self) -> None:
        self.session.back()
        self.message.value = ""
        self.show()

    def press(self, key: str) -> None:
        """What a key does (the browser sends each key here; tests call it directly)."""
        actions = {"Enter": self.save, "s": self.skip, "b": self.back, "Backspace": self.back, "u": self.undo,
                   "z": lambda: setattr(self.enlarge, "value", not self.enlarge.value)}
        if key in actions:
            actions[key]()
            return
        if not self._controls:
            return
        control = self._controls[self.focus]
        if key in ("ArrowUp", "ArrowDown"):
            self.focus = (self.focus + (1 if key == "ArrowDown" else -1)) % len(self._controls)
        elif key in ("p", "f"):
            self.passed.value = key == "p"
        elif key in ("y", "n"):
            target = control if control in self.question_controls else next(
                (c for c in self.question_controls if c.value is None), None)
            if target is not None:
                target.value = "yes" if key == "y" else "no"
                self._advance_from(target)
        elif control is self.passed:
            if key in ("ArrowLeft", "ArrowRight"):
                self.passed.value = not self.passed.value if self.passed.value is not None else key == "ArrowLeft"
        elif control in self.question_controls:
            if key in ("ArrowLeft", "ArrowRight"):
                control.value = "yes" if key == "ArrowLeft" else "no"
        else:
            self._score_key(control, key)
        self._show_focus()

    def _score_key(self, control: w.ToggleButtons, key: str) -> None:
        low, high = self.rubric.scale.min, self.rubric.scale.max
        if key in DIGITS or key == "=":
            value = high if key == "=" else int(key)
            if low <= value <= high:
                control.value = value
                self._advance_from(control)
        elif key in ("ArrowLeft", "ArrowRight"):
            step = 1 if key == "ArrowRight" else -1
            current = control.value if control.value is not None else (low if step > 0 else high) - step
            control.value = min(high, max(low, current + step))

    def _advance_from(self, control: w.ToggleButtons) -> None:
        self.focus = min(self._controls.index(control) + 1, len(self._controls) - 1)
