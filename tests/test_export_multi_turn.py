"""#27 item 9: a multi-turn item flattened into single training pairs keeps its context: each
turn's instruction stands on its own (no "Now ..."; "the farmer you added" named by what the
spec says it is), or, as the user chooses, only the whole chain is exported."""
from __future__ import annotations

import re

import pytest

from curation_fixtures import make_sketch_dataset
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.dataset.export_pix2pix import export_pix2pix
from ogi_toolkit.dataset.standalone_turns import standalone_turn_prompts
from ogi_toolkit.spec import EARLIER_TURN_LABELS

OPENERS = re.compile(r"^(now|next|then|this time|after that|as a next step|on top of that|following that|for this round)\b",
                     re.IGNORECASE)
LABELS = re.compile(r"\byou added\b|\bthe new\b", re.IGNORECASE)


def _referring_turns(specs):
    return [(spec, k) for spec in specs for k, turn in enumerate(spec["turns"]) if LABELS.search(turn["instruction"])]


def test_each_turn_stands_on_its_own_over_many_chains():
    from ogi_toolkit.planning import plan

    specs = [s.model_dump(exclude_none=True) for s in
             plan(counts={"two_turns": 60, "three_turns": 60, "four_turns": 60}, seed=5)]
    referring = _referring_turns(specs)
    assert len(referring) > 30
    for spec, k in referring:
        prompt = standalone_turn_prompts(spec)[k]
        assert not LABELS.search(prompt) and not OPENERS.search(prompt), (spec["turns"][k]["instruction"], prompt)
    for spec in specs:  # a first turn refers to nothing: it is kept as planned
        assert standalone_turn_prompts(spec)[0] == spec["turns"][0]["instruction"]
    assert set(EARLIER_TURN_LABELS.values()) == {"you added", "new"}


def test_the_farmer_you_added_is_named_by_the_spec():
    spec = {"source": {"objects": [{"name": "barn", "category": "building"}]},
            "turns": [{"instruction": "Add a farmer in red.",
                       "edits": [{"op": "add", "instruction": "Add a farmer in red.",
                                  "object": {"name": "farmer", "category": "person", "colour": "red"}}]},
                      {"instruction": "Now move the farmer you added behind the barn.",
                       "edits": [{"op": "move", "instruction": "Move the farmer you added behind the barn.",
                                  "target": 1, "relation": "behind", "anchor": 0}]},
                      {"instruction": "Then remove the barn and turn the farmer you added blue.",
                       "edits": [{"op": "remove", "instruction": "Remove the barn.", "target": 0},
                                 {"op": "alter", "instruction": "Turn the farmer you added blue.", "target": 0}]}]}
    assert standalone_turn_prompts(spec) == ["Add a farmer in red.", "Move the farmer in red behind the barn.",
                                             "Remove the barn and turn the farmer in red blue."]


@pytest.fixture(scope="module")
def chains(tmp_path_factory):
    return make_sketch_dataset(tmp_path_factory.mktemp("chains") / "run", counts={"three_turns": 10, "four_turns": 6},
                               seed=11)


def test_pix2pix_flatten_exports_self_contained_turns_and_chain_keeps_the_whole(chains, tmp_path):
    import datasets

    records = {r["id"]: r for r in read_manifest(chains) if r.get("status") == "done"}
    referring = _referring_turns([r["spec"] for r in records.values()])
    assert referring, "the fixture needs a turn that refers back"
    export_pix2pix(chains, tmp_path / "flat", multi_turn="flatten")
    rows = {(row["id"], row["turn"]): row["edit_prompt"]
            for row in datasets.load_dataset(str(tmp_path / "flat"), split="train")}
    for spec, k in referring:
        prompt = rows[(spec["id"], k)]
        assert not LABELS.search(prompt) and not OPENERS.search(prompt), prompt
    export_pix2pix(chains, tmp_path / "chain", multi_turn="chain")
    whole = {row["id"]: row for row in datasets.load_dataset(str(tmp_path / "chain"), split="train")}
    assert set(whole) == set(records)
    assert all(whole[i]["edit_prompt"] == records[i]["instruction"] for i in whole)
