"""Builder of the eight Scientific Imagery subtasks: a correct, labelled figure of a concept.

Each subtask reads its own concept pool (``pools/science/<subtask id>.yaml``, or the pool named
by ``params.pool``). A concept knows the kind of figure that shows it (diagram, cross-section,
timeline, orbit ...) and the labels a correct figure carries. Grades ask for more of them:

1. the concept as its kind of figure with two of its labels, usually in a presentation;
2. three or four labels, a presentation (textbook diagram, blueprint ...) and what it shows;
3. every label, a kind-specific requirement (arrows, legend, scale ...) and two labelled parts
   colour-coded, which a renderer can check.
"""
from __future__ import annotations

import re

from ogi_toolkit.spec import Scene, SceneObject
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import join_and

from ..kit import draw, phrases

SCIENCE_SLOTS = ("concept", "kind", "concept_kind", "labels", "quoted_labels", "label_list", "n_labels",
                 "description", "presentation", "requirement", "colour_code", "objects")

# Colour families that read well as a colour code on a white figure.
_CODE_FAMILIES = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black")


def _quote(label: str) -> str:
    return f'"{label}"'


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def figure_word(kind_word: str, concept_name: str) -> str:
    """The kind of figure, without the words the concept's name already says: "a life-cycle
    diagram of the life cycle of a salmon" reads "a diagram of the life cycle of a salmon", and
    "a diagram of a Venn diagram of two sets" reads "a figure of a Venn diagram of two sets"."""
    named = _words(concept_name)
    kept = [word for word in kind_word.split() if not _words(word) <= named]
    if kept:
        return " ".join(kept)
    return "diagram" if "diagram" not in named else "figure"


def _partners(labels: list[str]) -> list[list[int]]:
    """The labels as units to choose whole: a label and its opposite ("north pole" and "south
    pole", "sunrise" and "sunset": one word of ``opposite_words`` swapped) form one unit."""
    swaps = {}
    for a, b in phrases()["opposite_words"]:
        swaps.setdefault(a, []).append(b)
        swaps.setdefault(b, []).append(a)
    index = {label.lower(): k for k, label in enumerate(labels)}
    units, used = [], set()
    for k, label in enumerate(labels):
        if k in used:
            continue
        unit = [k]
        words = label.lower().split()
        for pos, word in enumerate(words):
            for other in swaps.get(word, ()):
                partner = index.get(" ".join([*words[:pos], other, *words[pos + 1:]]))
                if partner is not None and partner not in used and partner not in unit:
                    unit.append(partner)
        used.update(unit)
        units.append(unit)
    return units


def _choose_labels(rng, labels: list[str], n: int) -> list[int]:
    """About ``n`` label indices, never one of a pair of opposites without the other (one more
    than ``n`` when only whole pairs are left to add)."""
    units = _partners(labels)
    rng.shuffle(units)
    chosen: list[int] = []
    for unit in units:
        if len(chosen) + len(unit) <= n:
            chosen += unit
    if len(chosen) < n:
        rest = [u for u in units if u[0] not in chosen]
        if rest:
            chosen += min(rest, key=len)
    return sorted(chosen)


@register("science_figure", params=("pool",), slot_names=SCIENCE_SLOTS)
def build_science_figure(ctx) -> Built:
    """``params``: ``pool`` (the concept pool; default: the subtask id)."""
    pool = ctx.params.get("pool", ctx.subtask)
    d = min(ctx.difficulty, 3)
    concept = ctx.rng.choice(ctx.pools[pool])
    n_all = len(concept.labels)
    n = {1: min(2, n_all), 2: min(ctx.rng.choice((3, 4)), n_all), 3: n_all}[d]
    chosen = _choose_labels(ctx.rng, list(concept.labels), n)
    n = len(chosen)
    labels = [concept.labels[i] for i in chosen]
    presentation = ctx.rng.choice(ctx.pools["presentations"]) if d >= 2 or ctx.rng.random() < 0.7 else None
    kinds = phrases()["figure_kinds"]  # how each kind of figure is named, what a careful one adds
    figure = kinds.get(concept.kind, {"word": concept.kind.replace("_", " "), "requirements": kinds["diagram"]["requirements"]})
    requirement = ctx.rng.choice(figure["requirements"]) if d == 3 else ""
    coded = []
    if d == 3:
        parts = ctx.rng.sample(range(n_all), 2)
        colours = draw(ctx, "colours", 2, family=_CODE_FAMILIES)
        coded = [(concept.labels[p], c) for p, c in zip(parts, colours)]
    kind_word = figure_word(figure["word"], concept.name)
    words = {
        "concept": concept.name, "kind": kind_word, "concept_kind": concept.kind, "labels": labels,
        "quoted_labels": join_and([_quote(x) for x in labels]), "label_list": ", ".join(labels),
        "n_labels": n, "description": concept.description,
        "presentation": presentation.name if presentation else "",
        "requirement": requirement,
        "colour_code": join_and([f"{_quote(label)} in {colour.name}" for label, colour in coded]),
    }
    slots = {"concept": concept.id, "labels": chosen,
             "presentation": presentation.id if presentation else None,
             "requirement": requirement or None,
             "colour_code": [[concept.labels.index(label), colour.id] for label, colour in coded]}
    description = f"{presentation.name if presentation else kind_word} of {concept.name}: {concept.description}"
    scene = Scene.record(description=description, concept=concept.id, concept_kind=concept.kind, labels=labels,
                  objects=[SceneObject.record(name=label, colour=colour.name) for label, colour in coded],
                  layout="diagram")
    return Built(slots=slots, words=words, scene=scene)
