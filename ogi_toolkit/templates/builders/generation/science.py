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

from ogi_toolkit.spec import Scene, SceneObject
from ogi_toolkit.templates.builders.base import Built, register
from ogi_toolkit.templates.grammar import join_and

from ._common import chance, draw, indices, pick

SCIENCE_SLOTS = ("concept", "kind", "labels", "quoted_labels", "label_list", "n_labels", "description",
                 "presentation", "requirement", "colour_code", "objects")

# How each kind of figure is named in a sentence.
KIND_WORDS = {
    "diagram": "diagram", "plot": "plot", "map": "map", "cross_section": "cross-section",
    "timeline": "timeline", "cycle": "cycle diagram", "orbit": "orbit diagram", "circuit": "circuit diagram",
    "mechanism": "mechanism diagram", "anatomy": "anatomical diagram", "chart": "chart",
    "construction": "geometric construction", "illustration": "illustration", "food_web": "food web",
    "life_cycle": "life-cycle diagram", "exploded_view": "exploded view", "field_lines": "field-line diagram",
    "ray_diagram": "ray diagram",
}
# What a careful figure of each kind adds at the top grade (one is chosen per item).
KIND_REQUIREMENTS = {
    "diagram": ("a short title at the top", "leader lines from each label to its part"),
    "plot": ("both axes labelled with units", "a legend for every curve"),
    "map": ("a legend and a compass rose", "a scale bar in one corner"),
    "cross_section": ("leader lines from each label to its layer", "a scale bar beside the section"),
    "timeline": ("a date under each event", "events spaced in proportion to time"),
    "cycle": ("arrows showing the direction of every step", "the steps arranged in a closed loop"),
    "orbit": ("the orbit drawn as a dashed ellipse", "arrows showing the direction of motion"),
    "circuit": ("standard circuit symbols", "arrows showing the direction of current"),
    "mechanism": ("arrows showing how the parts move", "a cutaway revealing the moving parts"),
    "anatomy": ("leader lines from each label to its part", "a small scale bar"),
    "chart": ("a legend", "a value printed on each bar or segment"),
    "construction": ("the compass arcs left visible", "each point marked with a letter"),
    "illustration": ("a caption underneath", "leader lines from each label to its part"),
    "food_web": ("arrows pointing from each food to what eats it", "producers along the bottom"),
    "life_cycle": ("arrows between the stages", "the stages arranged in a circle"),
    "exploded_view": ("dashed assembly lines between the parts", "the parts in assembly order"),
    "field_lines": ("arrows on the field lines", "field lines denser where the field is stronger"),
    "ray_diagram": ("arrows on every ray", "the angles marked with arcs"),
}


# Colour families that read well as a colour code on a white figure.
_CODE_FAMILIES = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black")


def _quote(label: str) -> str:
    return f'"{label}"'


@register("science_figure", params=("pool",), slot_names=SCIENCE_SLOTS)
def build_science_figure(ctx) -> Built:
    """``params``: ``pool`` (the concept pool; default: the subtask id)."""
    pool = ctx.params.get("pool", ctx.subtask)
    d = min(ctx.difficulty, 3)
    concept = pick(ctx.rng, ctx.pools[pool])
    n_all = len(concept.labels)
    n = {1: min(2, n_all), 2: min(int(pick(ctx.rng, (3, 4))), n_all), 3: n_all}[d]
    chosen = sorted(indices(ctx.rng, n_all, n))
    labels = [concept.labels[i] for i in chosen]
    presentation = pick(ctx.rng, ctx.pools["presentations"]) if d >= 2 or chance(ctx, 0.7) else None
    requirement = pick(ctx.rng, KIND_REQUIREMENTS.get(concept.kind, KIND_REQUIREMENTS["diagram"])) if d == 3 else ""
    coded = []
    if d == 3:
        parts = indices(ctx.rng, n_all, 2)
        colours = draw(ctx, "colours", 2, family=_CODE_FAMILIES)
        coded = [(concept.labels[p], c) for p, c in zip(parts, colours)]
    kind_word = KIND_WORDS.get(concept.kind, concept.kind.replace("_", " "))
    words = {
        "concept": concept.name, "kind": kind_word, "labels": labels,
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
