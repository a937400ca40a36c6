"""#27 item 8: classes of instruction text that read wrong, each fixed at its builder and checked
as a property over specs of every subtask (several seeds), not on one example:

- a clause without a verb ("... an image where two violet umbrellas flanking a bear");
- a concept named twice ("a life-cycle diagram of the life cycle of a salmon");
- a figure type the concept is not ("A geology cutaway of the Keeling curve", a plot);
- one of a pair of opposite labels without the other ("Label 'sunrise', 'noon' and 'east'");
- a comparative pair that contradicts itself ("the glue stick is bigger than the salt shaker",
  "the shaker is broader than the glue stick").
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest

from ogi_toolkit.definition.pools import load_pools
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.planning import plan
from ogi_toolkit.templates.builders.kit import phrases

PER_SUBTASK = 24
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def specs():
    subtasks = [sub.id for sub in load_taxonomy().subtasks]
    return [s for seed in SEEDS for s in plan(counts={sub: PER_SUBTASK for sub in subtasks}, seed=seed)]


@pytest.fixture(scope="module")
def science(specs):
    pools = load_pools()
    concepts = {c.id: c for name in pools.names() for c in pools[name] if hasattr(c, "labels") and hasattr(c, "kind")}
    out = [(s, concepts[s.scene.concept]) for s in specs if getattr(s.scene, "concept", None) in concepts]
    assert len(out) > 300
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - {"a", "an", "the", "of", "and", "in", "on"}


def test_symmetry_clauses_have_a_verb(specs):
    finite = re.compile(r"\b(flank|stand|are set|are arranged|are spaced)\b")
    where = [s for s in specs if s.subtask == "symmetry_analysis" and s.template_id in ("sy_question", "sy_scene_first")]
    assert len(where) > 20
    for spec in where:
        clause = spec.instruction.split(" where ", 1)[-1] if spec.template_id == "sy_question" else \
            spec.instruction.split(", ", 1)[1]
        assert finite.search(clause), spec.instruction


def test_no_concept_is_named_twice(science):
    for spec, concept in science:
        named = _words(concept.name)
        for match in re.finditer(rf"([\w-]+) ([\w-]+) of {re.escape(concept.name)}", spec.instruction):
            # each word of the figure's name ("life-cycle", "diagram") that the concept already says
            repeated = [w for w in match.groups() if _words(w) and _words(w) <= named]
            assert not repeated, (repeated, spec.instruction)


def test_a_geology_cutaway_is_of_a_cross_section(science):
    cutaways = [(s, c) for s, c in science if "cutaway of" in s.instruction.lower() and "geology" in s.instruction.lower()]
    assert cutaways
    for spec, concept in cutaways:
        assert concept.kind == "cross_section", spec.instruction


def test_opposite_labels_come_together(science):
    pairs = [tuple(p) for p in phrases()["opposite_words"]]
    checked = 0
    for spec, concept in science:
        labels = {label.lower() for label in concept.labels}
        chosen = {label.lower() for label in spec.scene.labels}
        for label in chosen:
            words = label.split()
            for pos, word in enumerate(words):
                for a, b in pairs:
                    other = {a: b, b: a}.get(word)
                    partner = " ".join([*words[:pos], other, *words[pos + 1:]]) if other else None
                    if partner in labels:
                        checked += 1
                        assert partner in chosen, (label, partner, spec.instruction)
    assert checked > 20


# which way each comparative relation points, and along what (overall size covers every dimension)
_DIRECTION = {"larger_than": ("size", 1), "smaller_than": ("size", -1), "taller_than": ("height", 1),
              "shorter_than": ("height", -1), "longer_than": ("length", 1), "shorter_in_length_than": ("length", -1),
              "wider_than": ("width", 1), "narrower_than": ("width", -1)}


def test_no_comparative_pair_contradicts_itself(specs):
    pairs_seen = 0
    for spec in specs:
        by_pair = defaultdict(list)
        for rel in (spec.scene.relations if spec.scene else ()):
            if rel.relation in _DIRECTION:
                axis, sign = _DIRECTION[rel.relation]
                # as "first object's <axis> compared with the second's"
                key, sign = ((rel.subject, rel.object), sign) if rel.subject < rel.object else ((rel.object, rel.subject), -sign)
                by_pair[key].append((axis, sign))
        for said in by_pair.values():
            if len(said) < 2:
                continue
            pairs_seen += 1
            for axis, sign in said:
                for other_axis, other_sign in said:
                    dependent = axis == other_axis or "size" in (axis, other_axis)
                    assert not (dependent and sign != other_sign), (said, spec.instruction)
    assert pairs_seen > 10


def test_a_group_compared_reads_in_the_plural(specs):
    for spec in specs:
        if spec.subtask == "comparative_reasoning":
            assert not re.search(r"\b(pairs|groups|sets) of [\w ]+? is\b", spec.instruction), spec.instruction
