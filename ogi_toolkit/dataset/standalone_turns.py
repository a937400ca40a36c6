"""Each turn of a multi-turn item as an instruction that stands on its own.

A multi-turn instruction is a conversation: "Add a farmer." then "Now move the farmer you added
behind the barn." Flattened into single (image, instruction, image) training pairs, the second
pair's instruction leans on a turn its pair does not hold. Here each turn's instruction is
rebuilt from its spec: the turn's edits' own sentences (no "Now", "This time," openers), and
every object an earlier turn made named by what the spec records of it ("the farmer you added"
becomes "the farmer in red", "the new hot dog" "the cyan hot dog").
"""
from __future__ import annotations

import re
from typing import Any

from ..spec import EARLIER_TURN_LABELS

__all__ = ["standalone_turn_prompts"]

_ADDS = ("add",)
_REPLACES = ("replace",)
_REMOVES = ("remove",)


def _resolve(sentence: str, obj: dict[str, Any], origin: str) -> str:
    """``sentence`` with the label of an earlier turn's object replaced by its description."""
    label = EARLIER_TURN_LABELS.get(origin)
    if not label:
        return sentence
    name = re.escape(obj["name"])
    noun = rf"(?P<noun>{name}\w*)"  # the name, or its plural ("hot dogs")
    pattern = rf"\bthe {noun} {re.escape(label)}\b" if label.startswith("you") else rf"\bthe {re.escape(label)} {noun}\b"

    def named(match: re.Match) -> str:
        noun, colour = match.group("noun"), obj.get("colour")
        if not colour:
            return f"the {noun}"
        # a person's colour is their clothes' ("the teacher in violet"), as the builder says it
        return f"the {noun} in {colour}" if obj.get("category") == "person" else f"the {colour} {noun}"

    return re.sub(pattern, named, sentence, flags=re.IGNORECASE)


def standalone_turn_prompts(spec: dict[str, Any]) -> list[str]:
    """One self-contained instruction per turn of ``spec`` (a multi-turn spec as a dict)."""
    turns = spec.get("turns") or []
    made: dict[int, tuple[dict, str]] = {}  # scene index -> (object record, "added" | "replaced")
    size = len(((spec.get("source") or {}).get("objects")) or [])
    prompts = []
    for turn in turns:
        sentences: list[str] = []
        for edit in turn.get("edits") or []:
            sentence = (edit.get("instruction") or "").strip()
            target = edit.get("target")
            for index in (target, edit.get("anchor")):
                if index in made:
                    sentence = _resolve(sentence, *made[index])
            if sentence and (not sentences or sentences[-1] != sentence):
                sentences.append(sentence)
            op = edit.get("op")
            if op in _ADDS and edit.get("object"):
                made[size] = (edit["object"], "added")
                size += 1
            elif op in _REPLACES and edit.get("object") and target is not None:
                made[target] = (edit["object"], "replaced")
            elif op in _REMOVES and target is not None:
                # later indices move down one, as the builder's scene does
                made = {(k - 1 if k > target else k): v for k, v in made.items() if k != target}
                size -= 1
        prompts.append(_one_sentence(sentences) or turn.get("instruction") or "")
    return prompts


def _one_sentence(sentences: list[str]) -> str:
    """Two edits of one turn as the builder joins them: "Add a cup and remove the lamp."."""
    if len(sentences) < 2:
        return sentences[0] if sentences else ""
    clauses = [sentences[0].rstrip(".")] + [s[:1].lower() + s[1:].rstrip(".") for s in sentences[1:]]
    return " and ".join(clauses) + "."
